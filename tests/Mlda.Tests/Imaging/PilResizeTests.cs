using System.Security.Cryptography;
using Mlda.Core;
using Mlda.Core.Imaging;
using OpenCvSharp;

namespace Mlda.Tests.Imaging;

public class PilResizeTests
{
    static string SampleImage(string camera = "image_02", int frame = 0) =>
        Path.Combine(SharedData.KittiRawSample, SharedData.Date, SharedData.Drive, camera, "data", $"{frame:0000000000}.png");

    static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    // The expected hashes were made once with Pillow 9.4.0 (Debian 12 python3-pil):
    // sha256(np.array(Image.open(png).convert('RGB').resize((w, h), Image.LANCZOS)).tobytes()).
    [Theory]
    [InlineData(640, 192, "47e6020ba224e8f0a16ddbd1fd6a655b49c09b0533676cd7260509fbd7413e24")]
    [InlineData(1024, 320, "d88f50c0742e3436522921a448ba1f0c636095cdf794ac0231068644ba2471a0")]
    public void Real_sample_resizes_bit_exactly_as_pillow(int width, int height, string pillowSha256)
    {
        var image = ImageFile.LoadRgb(SampleImage());
        var resized = PilResize.Lanczos(image, width, height);
        Assert.Equal((height, width, 3), (resized.Height, resized.Width, resized.Channels));
        Assert.Equal(pillowSha256, Sha256(resized.Pixels));
    }

    static ByteImage GreyPattern()
    {
        var g = new ByteImage(23, 37, 1);
        for (int y = 0; y < 23; y++)
            for (int x = 0; x < 37; x++)
                g[y, x, 0] = (byte)((x * 29 + y * 53 + x * y) % 256);
        return g;
    }

    // Pillow 9.4.0, mode "L", on the same pattern (numpy: ((x*29 + y*53 + x*y) % 256) over a 23x37 grid):
    // downscales, upscales, one axis only.
    [Theory]
    [InlineData(11, 5, "45970ddf48de0fc44a3382210cadae80ec379dbcb18d1f29326d915616237206")]
    [InlineData(80, 50, "17e1c30eb6a180e266c2bf92fdec5ceb75e5c689c65134f0d0af4169380c7a23")]
    [InlineData(37, 9, "850c1977c8cb9192ef87e631893e1ebf2033a8f326ef693f3f6387f978cb12c7")]
    [InlineData(20, 23, "8879ceb03474a75915e2ed8f1c0a09ca30f9d614b046975b3503aedda177bccc")]
    public void Grey_pattern_resizes_bit_exactly_as_pillow(int width, int height, string pillowSha256)
    {
        Assert.Equal(pillowSha256, Sha256(PilResize.Lanczos(GreyPattern(), width, height).Pixels));
    }

    [Fact]
    public void Float_image_resizes_as_pillow_mode_F()
    {
        var m = new FloatMap(23, 37);
        for (int y = 0; y < 23; y++)
            for (int x = 0; x < 37; x++)
                m[y, x] = ((x * 7 + y * 13) % 31) * 0.37f - 2.5f;
        var r = PilResize.Lanczos(m, 11, 5);
        // Row 2 of Pillow 9.4.0's Image.fromarray(m, 'F').resize((11, 5), Image.LANCZOS).
        float[] pillowRow2 = [2.6128365993499756f, 3.4481184482574463f, 2.6952829360961914f, 3.29461932182312f, 2.946319341659546f,
            2.992576837539673f, 3.248173236846924f, 2.7505693435668945f, 3.397336006164551f, 2.7463924884796143f, 3.157914876937866f];
        Assert.Equal(pillowRow2, r.Row(2).ToArray());
    }

    [Theory]
    [InlineData(640, 192)]
    [InlineData(2000, 600)]
    [InlineData(7, 3)]
    public void Constant_image_stays_constant(int width, int height)
    {
        var image = new ByteImage(375, 1242, 3);
        for (int i = 0; i < image.Pixels.Length; i += 3) (image.Pixels[i], image.Pixels[i + 1], image.Pixels[i + 2]) = (0, 128, 255);
        var r = PilResize.Lanczos(image, width, height);
        int wrong = 0;
        for (int i = 0; i < r.Pixels.Length; i += 3)
            if ((r.Pixels[i], r.Pixels[i + 1], r.Pixels[i + 2]) != (0, 128, 255)) wrong++;
        Assert.Equal(0, wrong);
    }

    [Fact]
    public void Mirroring_commutes_with_resizing()
    {
        // The kernel is symmetric and the sample grid is centred, so flip(resize(x)) == resize(flip(x)):
        // what lets depth-hints mirror right images after resizing them.
        var image = ImageFile.LoadRgb(SampleImage());
        var a = PilResize.Lanczos(image, 640, 192).FlipHorizontal();
        var b = PilResize.Lanczos(image.FlipHorizontal(), 640, 192);
        Assert.Equal(a.Pixels, b.Pixels);
    }

    [Fact]
    public void Agrees_within_one_grey_level_with_a_plain_double_precision_lanczos()
    {
        var image = ImageFile.LoadRgb(SampleImage("image_03", 5));
        const int W = 640, H = 192;
        var fast = PilResize.Lanczos(image, W, H);
        var slow = PlainLanczos(image, W, H);
        int worst = 0;
        for (int i = 0; i < slow.Length; i++) worst = Math.Max(worst, Math.Abs(fast.Pixels[i] - slow[i]));
        Assert.True(worst <= 1, $"max difference {worst}");
    }

    /// <summary>Textbook antialiased Lanczos-3, separable, in double throughout (intermediate clipped, not rounded), rounded once at the end.</summary>
    static byte[] PlainLanczos(ByteImage image, int outW, int outH)
    {
        static double L(double x) => x == 0 ? 1 : Math.Abs(x) >= 3 ? 0 : 3 * Math.Sin(Math.PI * x) * Math.Sin(Math.PI * x / 3) / (Math.PI * Math.PI * x * x);
        static (int first, double[] w)[] Weights(int inSize, int outSize)
        {
            double scale = (double)inSize / outSize, widen = Math.Max(1, scale);
            var result = new (int, double[])[outSize];
            for (int o = 0; o < outSize; o++)
            {
                double centre = (o + 0.5) * scale;
                int lo = Math.Max(0, (int)Math.Floor(centre - 3 * widen)), hi = Math.Min(inSize - 1, (int)Math.Ceiling(centre + 3 * widen));
                var w = new double[hi - lo + 1];
                for (int i = lo; i <= hi; i++) w[i - lo] = L((i + 0.5 - centre) / widen);
                double sum = w.Sum();
                for (int i = 0; i < w.Length; i++) w[i] /= sum;
                result[o] = (lo, w);
            }
            return result;
        }
        var wx = Weights(image.Width, outW);
        var wy = Weights(image.Height, outH);
        int c = image.Channels;
        var rows = new double[image.Height * outW * c];
        for (int y = 0; y < image.Height; y++)
            for (int o = 0; o < outW; o++)
                for (int ch = 0; ch < c; ch++)
                {
                    double s = 0;
                    for (int k = 0; k < wx[o].w.Length; k++) s += wx[o].w[k] * image[y, wx[o].first + k, ch];
                    rows[(y * outW + o) * c + ch] = Math.Clamp(s, 0, 255); // an 8-bit intermediate image cannot overshoot
                }
        var result = new byte[outH * outW * c];
        for (int o = 0; o < outH; o++)
            for (int x = 0; x < outW * c; x++)
            {
                double s = 0;
                for (int k = 0; k < wy[o].w.Length; k++) s += wy[o].w[k] * rows[(wy[o].first + k) * outW * c + x];
                result[o * outW * c + x] = (byte)Math.Clamp(Math.Round(s), 0, 255);
            }
        return result;
    }

    [Fact]
    public void Mat_overload_keeps_channel_order()
    {
        var rgb = ImageFile.LoadRgb(SampleImage());
        using var bgr = ImageFile.LoadBgrMat(SampleImage());
        using var resizedBgr = PilResize.Lanczos(bgr, 320, 96);
        Assert.Equal(MatType.CV_8UC3, resizedBgr.Type());
        var expected = PilResize.Lanczos(rgb, 320, 96).SwapRedBlue();
        Assert.Equal(expected.Pixels, ByteImage.FromMat(resizedBgr).Pixels);
    }

    [Fact]
    public void Unreadable_or_missing_image_is_an_input_error_naming_the_file()
    {
        using var dir = new TempDir();
        var bad = dir["broken.png"];
        File.WriteAllText(bad, "not a png");
        var e = Assert.Throws<InputException>(() => ImageFile.LoadRgb(bad));
        Assert.Contains("broken.png", e.Message);
        var missing = dir["missing.png"];
        Assert.Contains("missing.png", Assert.Throws<InputException>(() => ImageFile.LoadRgb(missing)).Message);
    }

    [Fact]
    public void Saved_png_reloads_identically()
    {
        using var dir = new TempDir();
        var image = PilResize.Lanczos(ImageFile.LoadRgb(SampleImage()), 64, 20);
        ImageFile.SaveRgb(dir["x.png"], image);
        Assert.Equal(image.Pixels, ImageFile.LoadRgb(dir["x.png"]).Pixels);
        Assert.Single(Directory.GetFiles(dir.Path));
    }
}

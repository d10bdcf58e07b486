using Microsoft.ML.OnnxRuntime;
using DenseTensor = Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<float>;
using Mlda.Core;
using Mlda.Networks;
using OpenCvSharp;
using TorchSharp;
using static TorchSharp.torch;

namespace Mlda.Tests.Networks;

/// <summary>
/// The ImageNet import, proved against ONNX Runtime: the CNTK ResNet-18's exact topology (layer4 with three blocks,
/// global average pool) is built in TorchSharp, takes the imported weights, and must give ONNX Runtime's output
/// for the same file on a real KITTI image.
/// </summary>
public class ImageNetImportTests
{
    const int Size = 224;

    /// <summary>A real image, resized to 224x224, as RGB 0..255 planes [3,224,224].</summary>
    static float[] RealImageRgb255()
    {
        var png = Path.Combine(SharedData.KittiRawSample, SharedData.Date, SharedData.Drive, "image_02", "data", "0000000000.png");
        using var bgr = Cv2.ImRead(png, ImreadModes.Color);
        using var small = new Mat();
        Cv2.Resize(bgr, small, new OpenCvSharp.Size(Size, Size), interpolation: InterpolationFlags.Area);
        var planes = new float[3 * Size * Size];
        for (var y = 0; y < Size; y++)
            for (var x = 0; x < Size; x++)
            {
                var p = small.At<Vec3b>(y, x);
                planes[0 * Size * Size + y * Size + x] = p.Item2;   // R
                planes[1 * Size * Size + y * Size + x] = p.Item1;   // G
                planes[2 * Size * Size + y * Size + x] = p.Item0;   // B
            }
        return planes;
    }

    static float[] RunOnnx(string path, string input, float[] data)
    {
        using var session = new InferenceSession(path);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(input, new DenseTensor(data, [1, 3, Size, Size]))]);
        return results.First().AsTensor<float>().ToArray();
    }

    [Fact]
    public void Imported_weights_reproduce_onnx_runtime_on_a_real_image()
    {
        var rgb = RealImageRgb255();
        // ONNX Runtime: the preprocessing model (RGB → BGR minus the mean image), then the ResNet-18.
        var preprocessed = RunOnnx(ImageNetResNet18.DefaultPreprocessPath, "OriginalInput", rgb);
        var expected = RunOnnx(ImageNetResNet18.DefaultPath, "Input247", preprocessed);
        Assert.Equal(512, expected.Length);

        using var imageNet = ImageNetResNet18.Load();
        using var cntk = new ResNetBackbone("cntk", 3, ImageNetResNet18.CntkBlocks);
        imageNet.CopyInto(cntk, requireAllUsed: true);
        cntk.eval();
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var input = tensor(preprocessed, [1, 3, Size, Size]);
        var pooled = cntk.call(input)[4].mean([2, 3]).flatten();   // 7x7 average pool
        var relative = TensorAssert.RelativeDifference(pooled, tensor(expected));
        Assert.True(relative <= 1e-3, $"relative difference {relative}");
        Assert.True(pooled.abs().max().item<float>() > 0.1f);   // not a trivially zero output
    }

    [Fact]
    public void Folded_first_layer_on_mlda_normalisation_equals_the_cntk_first_layer_on_its_own_input()
    {
        var rgb = RealImageRgb255();
        using var imageNet = ImageNetResNet18.Load();
        Assert.InRange(imageNet.MeanBgr[0], 95, 115);   // B, G, R means of the ImageNet mean image
        Assert.InRange(imageNet.MeanBgr[2], 115, 130);
        using var cntk = new ResNetBackbone("cntk", 3, ImageNetResNet18.CntkBlocks);
        imageNet.CopyInto(cntk);
        using var mono = new ResNetBackbone("mono", 3);
        imageNet.InitialiseBackbone(mono, 1);
        using var pair = new ResNetBackbone("pair", 6);
        imageNet.InitialiseBackbone(pair, 2);
        foreach (var m in new[] { cntk, mono, pair }) m.eval();

        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var image = tensor(rgb, [1, 3, Size, Size]) / 255f;                             // RGB in [0,1]
        var mean = tensor(imageNet.MeanBgr.Select(m => (float)m).ToArray()).reshape(1, 3, 1, 1);
        var cntkInput = image.flip(1) * 255f - mean;                                      // BGR 0..255 minus the mean
        var mldaInput = MldaEncoder.Normalise(image);
        var reference = cntk.Stem(cntkInput);
        var interior = (Tensor t) => t[.., .., 2..^2, 2..^2];   // CNTK pads the raw input with 0, not with -mean
        var folded = mono.Stem(mldaInput);
        Assert.True(TensorAssert.RelativeDifference(interior(folded), interior(reference)) < 1e-5);
        Assert.True(TensorAssert.RelativeDifference(interior(pair.Stem(cat([mldaInput, mldaInput], 1))), interior(reference)) < 1e-5);
        // Everything after the stem is copied as is (layer4 keeps blocks 0 and 1).
        Assert.True(TensorAssert.Identical(mono.state_dict()["layer4.1.conv2.weight"], imageNet.Weights["layer4.1.conv2.weight"]));
    }

    [Fact]
    public void Networks_created_pretrained_carry_the_imagenet_backbone()
    {
        using var nets = MldaNetworks.Create(new ModelOptions(64, 96, PoseEncoderKind.Light), imageNetPretrained: true, seed: 1);
        using var imageNet = ImageNetResNet18.Load();
        Assert.True(TensorAssert.Identical(nets.Encoder.state_dict()["encoder.layer3.1.bn1.running_var"], imageNet.Weights["layer3.1.bn1.running_var"]));
        Assert.True(TensorAssert.Identical(nets.PoseEncoder.Module.state_dict()["encoder.layer2.0.downsample.0.weight"], imageNet.Weights["layer2.0.downsample.0.weight"]));
        Assert.Equal(new long[] { 64, 6, 7, 7 }, nets.PoseEncoder.Module.state_dict()["encoder.conv1.weight"].shape);
    }

    [Fact]
    public void A_missing_or_foreign_onnx_file_is_an_input_error()
    {
        using var temp = new TempDir();
        Assert.Contains("missing", Assert.Throws<InputException>(() => ImageNetResNet18.Load(temp["ResNet18.onnx"])).Message);
        File.WriteAllBytes(temp["ResNet18.onnx"], [1, 2, 3, 4, 5, 6, 7, 8, 9]);
        File.Copy(ImageNetResNet18.DefaultPreprocessPath, temp["ResNetPreprocess.onnx"]);
        var e = Assert.Throws<InputException>(() => ImageNetResNet18.Load(temp["ResNet18.onnx"]));
        Assert.StartsWith(temp["ResNet18.onnx"], e.Message);
    }
}

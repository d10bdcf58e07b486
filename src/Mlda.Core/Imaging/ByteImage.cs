using System.Runtime.InteropServices;
using OpenCvSharp;

namespace Mlda.Core.Imaging;

/// <summary>
/// An 8-bit image with interleaved channels in row-major order (height x width x channels), the layout of a
/// PIL image converted with <c>np.array</c>. Channel order is whatever the producer says (RGB from
/// <see cref="ImageFile.LoadRgb"/>).
/// </summary>
public sealed class ByteImage
{
    public int Height { get; }
    public int Width { get; }
    public int Channels { get; }
    public byte[] Pixels { get; }

    public ByteImage(int height, int width, int channels, byte[]? pixels = null)
    {
        if (height <= 0 || width <= 0) throw new ArgumentOutOfRangeException(nameof(height), $"size {height}x{width}");
        if (channels is not (1 or 3 or 4)) throw new ArgumentOutOfRangeException(nameof(channels), $"{channels} channels");
        pixels ??= new byte[checked(height * width * channels)];
        if (pixels.Length != height * width * channels)
            throw new ArgumentException($"{pixels.Length} bytes for a {height}x{width}x{channels} image", nameof(pixels));
        Height = height;
        Width = width;
        Channels = channels;
        Pixels = pixels;
    }

    public byte this[int row, int col, int channel]
    {
        get => Pixels[(row * Width + col) * Channels + channel];
        set => Pixels[(row * Width + col) * Channels + channel] = value;
    }

    public int Stride => Width * Channels;

    /// <summary>The image mirrored left to right (numpy's <c>image[:, ::-1]</c>).</summary>
    public ByteImage FlipHorizontal()
    {
        var result = new ByteImage(Height, Width, Channels);
        int c = Channels;
        for (int y = 0; y < Height; y++)
        {
            int row = y * Stride;
            for (int x = 0; x < Width; x++)
                Array.Copy(Pixels, row + x * c, result.Pixels, row + (Width - 1 - x) * c, c);
        }
        return result;
    }

    /// <summary>Channels 0 and 2 exchanged (RGB to BGR and back); a 1-channel image is returned as a copy.</summary>
    public ByteImage SwapRedBlue()
    {
        var result = new ByteImage(Height, Width, Channels, (byte[])Pixels.Clone());
        if (Channels < 3) return result;
        var p = result.Pixels;
        for (int i = 0; i < p.Length; i += Channels) (p[i], p[i + 2]) = (p[i + 2], p[i]);
        return result;
    }

    public ByteImage Clone() => new(Height, Width, Channels, (byte[])Pixels.Clone());

    /// <summary>Copies an 8-bit Mat (CV_8UC1, CV_8UC3 or CV_8UC4) as it is; channel order is kept.</summary>
    public static ByteImage FromMat(Mat mat)
    {
        if (mat.Depth() != MatType.CV_8U || mat.Channels() is not (1 or 3 or 4) || mat.Dims != 2)
            throw new ArgumentException($"expected an 8-bit 1/3/4-channel image, got {mat.Type()}", nameof(mat));
        var image = new ByteImage(mat.Rows, mat.Cols, mat.Channels());
        int stride = image.Stride;
        for (int y = 0; y < image.Height; y++)
            Marshal.Copy(mat.Ptr(y), image.Pixels, y * stride, stride);
        return image;
    }

    /// <summary>A new Mat holding a copy of the pixels (CV_8UC(Channels)); channel order is kept.</summary>
    public Mat ToMat()
    {
        var mat = new Mat(Height, Width, MatType.CV_8UC(Channels));
        for (int y = 0; y < Height; y++)
            Marshal.Copy(Pixels, y * Stride, mat.Ptr(y), Stride);
        return mat;
    }
}

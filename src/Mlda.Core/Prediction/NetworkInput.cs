using OpenCvSharp;

namespace Mlda.Core.Prediction;

/// <summary>
/// Turns BGR images of any size into the network's input: resized to the network size with Lanczos (as the
/// reference's PIL <c>resize(..., LANCZOS)</c> in predict.py, test_simple.py and evaluate_depth.py's dataset), RGB,
/// CHW, float32 in [0,1]. The normalisation (x − 0.45)/0.225 happens inside the network (and the exported model).
/// This is the one place where an image becomes a network tensor.
/// </summary>
public static class NetworkInput
{
    /// <summary>Writes the CHW tensor of <paramref name="bgr"/> into <paramref name="destination"/> (3·h·w floats).</summary>
    public static void Fill(Mat bgr, int height, int width, Span<float> destination, bool flip = false)
    {
        if (bgr.Type() != MatType.CV_8UC3) throw new ArgumentException($"expected an 8-bit BGR image, got {bgr.Type()}");
        if (destination.Length != 3 * height * width) throw new ArgumentException("destination size");
        using var resized = Resize(bgr, width, height);
        var bgrBytes = Visualization.MatBuffers.Bytes(resized);
        int plane = height * width;
        for (int r = 0; r < height; r++)
        for (int c = 0; c < width; c++)
        {
            int p = 3 * (r * width + (flip ? width - 1 - c : c));
            int i = r * width + c;
            destination[i] = bgrBytes[p + 2] / 255f;
            destination[plane + i] = bgrBytes[p + 1] / 255f;
            destination[2 * plane + i] = bgrBytes[p] / 255f;
        }
    }

    /// <summary>
    /// The batch [n, 3, h, w] of <paramref name="images"/>; with <paramref name="withMirrored"/> [2n, 3, h, w], the
    /// images then their mirror images, as evaluate_depth.py's <c>torch.cat((input_color, torch.flip(input_color,
    /// [3])), 0)</c>. Images are resized in parallel (the Lanczos resize is the costly part).
    /// </summary>
    public static float[] Batch(IReadOnlyList<Mat> images, int height, int width, bool withMirrored = false)
    {
        int n = images.Count, plane = 3 * height * width;
        var data = new float[(withMirrored ? 2 : 1) * n * plane];
        Parallel.For(0, n, i =>
        {
            Fill(images[i], height, width, data.AsSpan(i * plane, plane));
            if (withMirrored) Mirror(data.AsSpan(i * plane, plane), data.AsSpan((n + i) * plane, plane), width);
        });
        return data;
    }

    /// <summary>
    /// <paramref name="images"/> ([n, 3, h, w], already network input) followed by their mirror images, the
    /// <c>torch.cat((x, torch.flip(x, [3])), 0)</c> of flip post-processing.
    /// </summary>
    public static float[] WithMirrored(ReadOnlySpan<float> images, int count, int height, int width)
    {
        int plane = 3 * height * width;
        if (images.Length != count * plane) throw new ArgumentException($"{images.Length} values for {count} images of 3x{height}x{width}");
        var data = new float[2 * images.Length];
        images.CopyTo(data);
        for (int i = 0; i < count; i++) Mirror(images.Slice(i * plane, plane), data.AsSpan((count + i) * plane, plane), width);
        return data;
    }

    /// <summary>Each row of a CHW tensor reversed (<c>torch.flip(x, [3])</c>).</summary>
    static void Mirror(ReadOnlySpan<float> source, Span<float> destination, int width)
    {
        for (int row = 0; row < source.Length; row += width)
            for (int c = 0; c < width; c++) destination[row + c] = source[row + width - 1 - c];
    }

    /// <summary>Lanczos resize as PIL does it (the reference's preprocessing).</summary>
    public static Mat Resize(Mat bgr, int width, int height) =>
        bgr.Cols == width && bgr.Rows == height ? bgr.Clone() : Imaging.PilResize.Lanczos(bgr, width, height);
}

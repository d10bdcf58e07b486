using OpenCvSharp;

namespace Mlda.Core.Prediction;

/// <summary>
/// Turns a BGR image of any size into the network's input: resized to the network size with Lanczos (as the
/// reference's PIL <c>resize(..., LANCZOS)</c> in predict.py and test_simple.py), RGB, CHW, float32 in [0,1].
/// The normalisation (x − 0.45)/0.225 happens inside the network (and inside the exported model).
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

    /// <summary>Lanczos resize as PIL does it (the reference's preprocessing).</summary>
    public static Mat Resize(Mat bgr, int width, int height) =>
        bgr.Cols == width && bgr.Rows == height ? bgr.Clone() : Imaging.PilResize.Lanczos(bgr, width, height);
}

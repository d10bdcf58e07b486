using System.Runtime.InteropServices;
using Mlda.Core.Imaging;
using OpenCvSharp;

namespace Mlda.Core.Hints;

/// <summary>
/// Disparity of a base image from one OpenCV SGBM matcher, in pixels (OpenCV's fixed point / 16). OpenCV matches
/// for the left image only, so a right base is handled as depth-hints does: both images mirrored, passed as
/// (mirrored right, mirrored left), and the disparity mirrored back. Invalid pixels come out ≤ 0 (OpenCV writes
/// (minDisparity − 1)·16, and the leftmost numDisparities columns of the matched image are never matched).
/// A matcher keeps scratch buffers, so one instance must not be used by two threads at once.
/// </summary>
public sealed class SgbmDisparity : IDisposable
{
    readonly StereoSGBM _matcher;

    public SgbmSettings Settings { get; }

    public SgbmDisparity(SgbmSettings settings)
    {
        Settings = settings;
        _matcher = settings.CreateMatcher();
    }

    /// <summary>Disparity of <paramref name="baseImage"/> against <paramref name="otherImage"/>, same size and type.</summary>
    /// <param name="baseImage">the image the disparity is for; pass 8-bit images as the reference does (RGB).</param>
    /// <param name="otherImage">the other view of the pair</param>
    /// <param name="baseSide">which camera <paramref name="baseImage"/> is (it decides the matching direction)</param>
    public FloatMap Compute(Mat baseImage, Mat otherImage, StereoSide baseSide)
    {
        if (baseImage.Size() != otherImage.Size() || baseImage.Type() != otherImage.Type())
            throw new ArgumentException($"stereo images differ: {baseImage.Size()} {baseImage.Type()} vs {otherImage.Size()} {otherImage.Type()}");
        using var raw = new Mat();
        if (baseSide == StereoSide.Left)
        {
            _matcher.Compute(baseImage, otherImage, raw);
            return ToPixels(raw, mirror: false);
        }
        using var baseMirrored = new Mat();
        using var otherMirrored = new Mat();
        Cv2.Flip(baseImage, baseMirrored, FlipMode.Y);
        Cv2.Flip(otherImage, otherMirrored, FlipMode.Y);
        _matcher.Compute(baseMirrored, otherMirrored, raw);
        return ToPixels(raw, mirror: true);
    }

    /// <summary>The mirrored-pair variant the reference uses for right images, over prepared (mirrored) Mats.</summary>
    internal FloatMap ComputeMirrored(Mat mirroredBase, Mat mirroredOther)
    {
        using var raw = new Mat();
        _matcher.Compute(mirroredBase, mirroredOther, raw);
        return ToPixels(raw, mirror: true);
    }

    internal FloatMap ComputeDirect(Mat left, Mat right)
    {
        using var raw = new Mat();
        _matcher.Compute(left, right, raw);
        return ToPixels(raw, mirror: false);
    }

    static FloatMap ToPixels(Mat raw, bool mirror)
    {
        if (raw.Type() != MatType.CV_16SC1) throw new InvalidOperationException($"SGBM returned {raw.Type()}");
        int h = raw.Rows, w = raw.Cols;
        var result = new FloatMap(h, w);
        var row = new short[w];
        for (int y = 0; y < h; y++)
        {
            Marshal.Copy(raw.Ptr(y), row, 0, w);
            var dst = result.Row(y);
            // numpy: int16 / 16 is float64, then torch .float(): every value is a multiple of 1/16, exact in float.
            if (mirror)
                for (int x = 0; x < w; x++) dst[w - 1 - x] = row[x] / 16f;
            else
                for (int x = 0; x < w; x++) dst[x] = row[x] / 16f;
        }
        return result;
    }

    public void Dispose() => _matcher.Dispose();
}

using System.Numerics;
using OpenCvSharp;
using Mlda.Core.Imaging;

namespace Mlda.Core.Evaluation;

/// <summary>
/// <c>cv2.resize(x, (w, h))</c> with its default INTER_LINEAR, which is how the reference brings a network-size
/// disparity to the ground truth's native size before inverting it. Written out rather than calling OpenCvSharp:
/// OpenCV 4.13 (our native runtime) rounds float resizes differently from the OpenCV the reference ran on, by one
/// ulp in most pixels; this is the classic algorithm, bit-exact with cv2 4.6 (checked on the sample):
/// per axis, f = (float)((d + 0.5) * (src/dst) - 0.5), s = floor(f), weights (1 - (f - s), f - s) in float32.
/// Columns clamp the weight to (1, 0) outside [0, src-1]; rows only clamp the row index (an OpenCV quirk that makes
/// the first and last rows a blend of one row with itself). Horizontal pass first, then vertical, each
/// a·w0 + b·w1 in the element type.
/// </summary>
public static class DisparityResize
{
    public static FloatMap Bilinear(FloatMap src, int height, int width)
    {
        var dst = new FloatMap(height, width);
        Bilinear(src.Values, src.Height, src.Width, dst.Values, height, width);
        return dst;
    }

    /// <summary>float32, row-major <paramref name="src"/> of srcH x srcW into <paramref name="dst"/> of dstH x dstW.</summary>
    public static void Bilinear(float[] src, int srcH, int srcW, float[] dst, int dstH, int dstW)
    {
        if (IsAreaFast(srcH, srcW, dstH, dstW)) OpenCv(src, srcH, srcW, dst, dstH, dstW, MatType.CV_32FC1);
        else Linear(src, srcH, srcW, dst, dstH, dstW);
    }

    /// <summary>The float64 variant (numpy keeps post-processed disparities in float64, and cv2 resizes them so).</summary>
    public static void Bilinear(double[] src, int srcH, int srcW, double[] dst, int dstH, int dstW)
    {
        if (IsAreaFast(srcH, srcW, dstH, dstW)) OpenCv(src, srcH, srcW, dst, dstH, dstW, MatType.CV_64FC1);
        else Linear(src, srcH, srcW, dst, dstH, dstW);
    }

    // cv::resize switches INTER_LINEAR to INTER_AREA for an exact 2x reduction on both axes.
    static bool IsAreaFast(int srcH, int srcW, int dstH, int dstW) => srcW == 2 * dstW && srcH == 2 * dstH;

    static void Linear<T>(T[] src, int srcH, int srcW, T[] dst, int dstH, int dstW) where T : IFloatingPointIeee754<T>
    {
        if (src.Length != srcH * srcW || dst.Length != dstH * dstW) throw new ArgumentException("buffer sizes do not match the shapes");
        if (srcH == dstH && srcW == dstW)
        {
            Array.Copy(src, dst, src.Length); // cv::resize copies when the size does not change
            return;
        }
        var (x0, x1, xw0, xw1) = Taps(srcW, dstW, clampWeights: true);
        var (y0, y1, yw0, yw1) = Taps(srcH, dstH, clampWeights: false);
        var rows = new T[srcH][];
        T[] Row(int sy)
        {
            if (rows[sy] is { } r) return r;
            r = new T[dstW];
            int o = sy * srcW;
            for (int x = 0; x < dstW; x++)
                r[x] = src[o + x0[x]] * T.CreateTruncating(xw0[x]) + src[o + x1[x]] * T.CreateTruncating(xw1[x]);
            return rows[sy] = r;
        }
        for (int y = 0; y < dstH; y++)
        {
            var a = Row(y0[y]);
            var b = Row(y1[y]);
            T w0 = T.CreateTruncating(yw0[y]), w1 = T.CreateTruncating(yw1[y]);
            int o = y * dstW;
            for (int x = 0; x < dstW; x++) dst[o + x] = a[x] * w0 + b[x] * w1;
        }
    }

    static (int[] I0, int[] I1, float[] W0, float[] W1) Taps(int srcSize, int dstSize, bool clampWeights)
    {
        double scale = 1.0 / ((double)dstSize / srcSize);
        var i0 = new int[dstSize];
        var i1 = new int[dstSize];
        var w0 = new float[dstSize];
        var w1 = new float[dstSize];
        for (int d = 0; d < dstSize; d++)
        {
            float f = (float)((d + 0.5) * scale - 0.5);
            int s = (int)MathF.Floor(f);
            f -= s;
            if (clampWeights)
            {
                if (s < 0) { f = 0; s = 0; }
                if (s >= srcSize - 1) { f = 0; s = srcSize - 1; }
            }
            i0[d] = Math.Clamp(s, 0, srcSize - 1);
            i1[d] = Math.Clamp(s + 1, 0, srcSize - 1);
            w0[d] = 1f - f;
            w1[d] = f;
        }
        return (i0, i1, w0, w1);
    }

    static void OpenCv<T>(T[] src, int srcH, int srcW, T[] dst, int dstH, int dstW, MatType type) where T : unmanaged
    {
        using var s = Mat.FromPixelData(srcH, srcW, type, src);
        using var d = Mat.FromPixelData(dstH, dstW, type, dst);
        Cv2.Resize(s, d, new Size(dstW, dstH), 0, 0, InterpolationFlags.Linear);
    }
}

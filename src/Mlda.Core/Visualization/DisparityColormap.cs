using Mlda.Core.Imaging;
using OpenCvSharp;

namespace Mlda.Core.Visualization;

/// <summary>
/// Magma colour maps of a disparity as monodepth2's <c>test_simple.py</c> draws them:
/// <c>Normalize(vmin = disp.min(), vmax = percentile(disp, 95))</c> then <c>cm.magma</c>, so near (large disparity)
/// is bright and the top 5% saturate. Matplotlib indexes its 256-entry table with floor(v·256) clipped to [0, 255];
/// the table itself is OpenCV's <c>COLORMAP_MAGMA</c>, which is matplotlib's magma.
/// </summary>
public static class DisparityColormap
{
    static readonly Lazy<Vec3b[]> MagmaTable = new(() =>
    {
        using var ramp = MatBuffers.FromBytes(Enumerable.Range(0, 256).Select(i => (byte)i).ToArray(), 1, 256, 1);
        using var colours = new Mat();
        Cv2.ApplyColorMap(ramp, colours, ColormapTypes.Magma);
        var bgr = MatBuffers.Bytes(colours);
        var table = new Vec3b[256];
        for (int i = 0; i < 256; i++) table[i] = new Vec3b(bgr[3 * i], bgr[3 * i + 1], bgr[3 * i + 2]);
        return table;
    });

    /// <summary>The 256 BGR colours of magma, dark (index 0) to bright (255).</summary>
    public static IReadOnlyList<Vec3b> Magma => MagmaTable.Value;

    /// <summary>Linear-interpolated percentile as numpy's default (<c>np.percentile</c>, method "linear").</summary>
    public static float Percentile(ReadOnlySpan<float> values, double percent)
    {
        if (values.Length == 0) throw new ArgumentException("no values");
        var sorted = values.ToArray();
        Array.Sort(sorted);
        double pos = percent / 100.0 * (sorted.Length - 1);
        int lo = (int)Math.Floor(pos);
        int hi = Math.Min(lo + 1, sorted.Length - 1);
        return (float)(sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]));
    }

    /// <summary>A BGR 8-bit image of <paramref name="disparity"/> in magma, vmin = min, vmax = 95th percentile.</summary>
    public static Mat Apply(FloatMap disparity, double upperPercentile = 95)
    {
        float vmin = float.PositiveInfinity;
        foreach (var v in disparity.Values) if (v < vmin) vmin = v;
        float vmax = Percentile(disparity.Values, upperPercentile);
        return Apply(disparity, vmin, vmax);
    }

    /// <summary>A BGR 8-bit image of <paramref name="disparity"/> in magma between <paramref name="vmin"/> and <paramref name="vmax"/>.</summary>
    public static Mat Apply(FloatMap disparity, float vmin, float vmax)
    {
        var table = MagmaTable.Value;
        var values = disparity.Values;
        var bgr = new byte[values.Length * 3];
        double range = vmax - vmin;
        for (int i = 0; i < values.Length; i++)
        {
            double n = range > 0 ? (values[i] - vmin) / range : 0;
            int index = double.IsNaN(n) ? 0 : (int)Math.Clamp(Math.Floor(n * 256), 0, 255);
            var colour = table[index];
            bgr[3 * i] = colour.Item0;
            bgr[3 * i + 1] = colour.Item1;
            bgr[3 * i + 2] = colour.Item2;
        }
        return MatBuffers.FromBytes(bgr, disparity.Height, disparity.Width, 3);
    }
}

using Mlda.Core.Imaging;

namespace Mlda.Core.Evaluation;

/// <summary>
/// monodepth2's <c>batch_post_process_disparity(l, r)</c> (after Godard et al.): blend the disparity of an image
/// with the disparity of its mirror image (flipped back), using the mirrored prediction near the left border,
/// the direct one near the right border, with a linear ramp over 5–10% of the width and the mean in between.
/// </summary>
public static class DisparityPostProcess
{
    /// <summary>
    /// The blend in float64, as numpy computes it (the column weights come from <c>np.linspace</c>, float64):
    /// out = r_mask·l + l_mask·r + (1 − l_mask − r_mask)·m, with m = 0.5·(l + r) in float32,
    /// l_mask = 1 − clip(20·(x − 0.05), 0, 1), x = linspace(0, 1, w), r_mask = l_mask mirrored.
    /// </summary>
    /// <param name="disparity">disparity of the image</param>
    /// <param name="flippedBack">disparity predicted for the mirrored image, mirrored back to the image's orientation</param>
    public static double[] Blend(FloatMap disparity, FloatMap flippedBack)
    {
        if (disparity.Height != flippedBack.Height || disparity.Width != flippedBack.Width)
            throw new ArgumentException($"{disparity.Height}x{disparity.Width} and {flippedBack.Height}x{flippedBack.Width} disparities");
        int h = disparity.Height, w = disparity.Width;
        var lMask = ColumnWeights(w);
        var result = new double[h * w];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                int i = y * w + x;
                float l = disparity.Values[i], r = flippedBack.Values[i];
                float m = 0.5f * (l + r);
                double lm = lMask[x], rm = lMask[w - 1 - x];
                result[i] = rm * l + lm * r + (1.0 - lm - rm) * m;
            }
        return result;
    }

    /// <summary>The float32 result, for callers that keep maps in float32 (the evaluator keeps the float64 one).</summary>
    public static FloatMap BlendToFloat32(FloatMap disparity, FloatMap flippedBack)
    {
        var b = Blend(disparity, flippedBack);
        var map = new FloatMap(disparity.Height, disparity.Width);
        for (int i = 0; i < b.Length; i++) map.Values[i] = (float)b[i];
        return map;
    }

    /// <summary>Mirrors a map left-right (<c>[:, ::-1]</c>).</summary>
    public static FloatMap FlipHorizontal(FloatMap map)
    {
        var r = new FloatMap(map.Height, map.Width);
        for (int y = 0; y < map.Height; y++)
        {
            var src = map.Row(y);
            var dst = r.Row(y);
            for (int x = 0; x < map.Width; x++) dst[x] = src[map.Width - 1 - x];
        }
        return r;
    }

    /// <summary>l_mask per column: 1 − clip(20·(linspace(0,1,w) − 0.05), 0, 1).</summary>
    static double[] ColumnWeights(int w)
    {
        var m = new double[w];
        // np.linspace: i * (1/(w-1)), last element exactly 1.
        double step = w > 1 ? 1.0 / (w - 1) : 0;
        for (int i = 0; i < w; i++)
        {
            double x = i == w - 1 && w > 1 ? 1.0 : i * step;
            m[i] = 1.0 - Math.Clamp(20 * (x - 0.05), 0.0, 1.0);
        }
        return m;
    }
}

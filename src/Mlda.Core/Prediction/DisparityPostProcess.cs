using Mlda.Core.Imaging;
using OpenCvSharp;

namespace Mlda.Core.Prediction;

/// <summary>Post-processing of network disparities (monodepth2 <c>evaluate_depth.py</c>, <c>test_simple.py</c>).</summary>
public static class DisparityPostProcess
{
    /// <summary>
    /// monodepth2's <c>batch_post_process_disparity</c>: <paramref name="disparity"/> is the prediction for the
    /// image and <paramref name="flippedBack"/> the prediction for the mirrored image, mirrored back. The left
    /// 5% of columns take the mirrored prediction, the right 5% the direct one (each side's disocclusion
    /// artefacts are on the other), ramping over the next 5%, the mean in between.
    /// </summary>
    public static FloatMap Flip(FloatMap disparity, FloatMap flippedBack)
    {
        if (disparity.Height != flippedBack.Height || disparity.Width != flippedBack.Width) throw new ArgumentException("size mismatch");
        int h = disparity.Height, w = disparity.Width;
        var result = new FloatMap(h, w);
        for (int c = 0; c < w; c++)
        {
            double l = w == 1 ? 0 : (double)c / (w - 1);                       // np.linspace(0, 1, w)
            double lMask = 1.0 - Math.Clamp(20 * (l - 0.05), 0, 1);
            double lr = w == 1 ? 0 : (double)(w - 1 - c) / (w - 1);            // r_mask = l_mask[:, ::-1]
            double rMask = 1.0 - Math.Clamp(20 * (lr - 0.05), 0, 1);
            for (int r = 0; r < h; r++)
            {
                double a = disparity[r, c], b = flippedBack[r, c];
                result[r, c] = (float)(rMask * a + lMask * b + (1.0 - lMask - rMask) * 0.5 * (a + b));
            }
        }
        return result;
    }

    /// <summary>Mirrors a map left-right.</summary>
    public static FloatMap MirrorColumns(FloatMap map)
    {
        var m = new FloatMap(map.Height, map.Width);
        for (int r = 0; r < map.Height; r++)
        for (int c = 0; c < map.Width; c++)
            m[r, c] = map[r, map.Width - 1 - c];
        return m;
    }

    /// <summary>
    /// Bilinear resize with half-pixel centres, no antialiasing: torch's <c>interpolate(mode="bilinear",
    /// align_corners=False)</c>, which test_simple.py uses to bring the disparity back to the input size.
    /// </summary>
    public static FloatMap ResizeBilinear(FloatMap map, int height, int width)
    {
        if (map.Height == height && map.Width == width) return map.Clone();
        var result = new FloatMap(height, width);
        double sy = (double)map.Height / height, sx = (double)map.Width / width;
        var x0 = new int[width]; var x1 = new int[width]; var fx = new double[width];
        for (int c = 0; c < width; c++)
        {
            double src = Math.Max((c + 0.5) * sx - 0.5, 0);
            x0[c] = Math.Min((int)src, map.Width - 1);
            x1[c] = Math.Min(x0[c] + 1, map.Width - 1);
            fx[c] = src - x0[c];
        }
        for (int r = 0; r < height; r++)
        {
            double src = Math.Max((r + 0.5) * sy - 0.5, 0);
            int y0 = Math.Min((int)src, map.Height - 1);
            int y1 = Math.Min(y0 + 1, map.Height - 1);
            double fy = src - y0;
            for (int c = 0; c < width; c++)
            {
                double top = map[y0, x0[c]] * (1 - fx[c]) + map[y0, x1[c]] * fx[c];
                double bottom = map[y1, x0[c]] * (1 - fx[c]) + map[y1, x1[c]] * fx[c];
                result[r, c] = (float)(top * (1 - fy) + bottom * fy);
            }
        }
        return result;
    }
}

using Mlda.Core.Imaging;

namespace Mlda.Core.Prediction;

/// <summary>
/// Brings a network-size disparity back to the input image's size as monodepth2's <c>test_simple.py</c> does
/// (torch <c>interpolate</c>); the evaluation's <c>DisparityResize</c> is cv2.resize instead, with its own quirks.
/// </summary>
public static class InputSizeResize
{
    /// <summary>
    /// Bilinear resize with half-pixel centres, no antialiasing: torch's <c>interpolate(mode="bilinear",
    /// align_corners=False)</c>, which test_simple.py uses to bring the disparity back to the input size.
    /// </summary>
    public static FloatMap Bilinear(FloatMap map, int height, int width)
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

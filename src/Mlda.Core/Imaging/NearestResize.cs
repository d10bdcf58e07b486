using OpenCvSharp;

namespace Mlda.Core.Imaging;

/// <summary>
/// Nearest-neighbour resizing of a map, in the two conventions the reference uses, which differ by up to a pixel:
/// <list type="bullet">
/// <item><see cref="OpenCv"/>: <c>cv2.resize(..., interpolation=cv2.INTER_NEAREST)</c>, source index
/// floor(dst · src/dst) with no half-pixel shift (the depth hints in <c>mono_dataset.py __getitem__</c>);</item>
/// <item><see cref="Skimage"/>: <c>skimage.transform.resize(order=0, preserve_range=True, mode='constant')</c>, the
/// source pixel under each output pixel's centre (the ground truth in <c>kitti_dataset.py get_depth</c>).</item>
/// </list>
/// </summary>
public static class NearestResize
{
    /// <summary>OpenCV's <c>INTER_NEAREST</c>, computed by OpenCV itself (its index arithmetic is the definition).</summary>
    public static FloatMap OpenCv(FloatMap map, int height, int width)
    {
        if (map.Height == height && map.Width == width) return map.Clone();
        using var src = new Mat(map.Height, map.Width, MatType.CV_32FC1);
        src.SetArray(map.Values);
        using var dst = new Mat();
        Cv2.Resize(src, dst, new Size(width, height), 0, 0, InterpolationFlags.Nearest);
        dst.GetArray(out float[] values);
        return new FloatMap(height, width, values);
    }

    /// <summary>
    /// skimage's order-0 resize: output pixel (r, c) samples input (f_r·(r+0.5) − 0.5, f_c·(c+0.5) − 0.5) with
    /// f = in/out, rounded half away from zero (C <c>round</c>). Samples outside the input are 0 (mode 'constant').
    /// The anti-aliasing skimage applies when shrinking is a Gaussian of sigma (f−1)/2, which for the KITTI sizes
    /// (376→375 rows) has a one-tap kernel and changes nothing; a strong reduction (f ≥ about 1.25) is smoothed by
    /// skimage and not here. Bit-exact with skimage 0.19 from 376x1241, 370x1226 and 374x1238 to 375x1242.
    /// </summary>
    public static FloatMap Skimage(FloatMap map, int height, int width)
    {
        if (map.Height == height && map.Width == width) return map.Clone();
        double fr = (double)map.Height / height, fc = (double)map.Width / width;
        var dst = new FloatMap(height, width);
        var cols = new int[width];
        for (int c = 0; c < width; c++) cols[c] = (int)Math.Round(fc * (c + 0.5) - 0.5, MidpointRounding.AwayFromZero);
        for (int r = 0; r < height; r++)
        {
            int sr = (int)Math.Round(fr * (r + 0.5) - 0.5, MidpointRounding.AwayFromZero);
            if (sr < 0 || sr >= map.Height) continue;
            var srcRow = map.Row(sr);
            var dstRow = dst.Row(r);
            for (int c = 0; c < width; c++)
                if (cols[c] >= 0 && cols[c] < map.Width) dstRow[c] = srcRow[cols[c]];
        }
        return dst;
    }
}

using Mlda.Core.Imaging;
using OpenCvSharp;

namespace Mlda.Training;

/// <summary>
/// The two depth metrics validation reports, from predicted scaled disparities (network resolution) and LiDAR
/// ground truth (native resolution):
/// <list type="bullet">
/// <item>the reference's training-time metric (<c>compute_depth_losses</c>, spec §7.1): depth resized bilinearly to
/// the ground truth's size, clamped to [1e-3, 80], gt &gt; 0 inside the Garg crop, ONE median ratio for the whole
/// batch, clamped again, rmse per batch;</item>
/// <item>the Eigen protocol (kitti-format §6): disparity resized bilinearly and inverted, 1e-3 &lt; gt &lt; 80 inside
/// the Garg crop, per-image median scaling (or a fixed factor such as 5.4 for stereo), clamp, metrics averaged over
/// images.</item>
/// </list>
/// </summary>
public static class ValidationMetrics
{
    public static readonly string[] EigenNames = ["abs_rel", "sq_rel", "rmse", "rmse_log", "a1", "a2", "a3"];

    /// <summary>The Garg/Eigen crop for an image size: rows [r0, r1), columns [c0, c1), int-truncated as numpy's int32 cast.</summary>
    public static (int R0, int R1, int C0, int C1) Crop(int h, int w) =>
        ((int)(0.40810811 * h), (int)(0.99189189 * h), (int)(0.03594771 * w), (int)(0.96405229 * w));

    static float[] Resize(FloatMap map, int width, int height)
    {
        using var src = Mat.FromPixelData(map.Height, map.Width, MatType.CV_32FC1, map.Values);
        using var dst = new Mat();
        Cv2.Resize(src, dst, new Size(width, height), 0, 0, InterpolationFlags.Linear);
        dst.GetArray(out float[] values);
        return values;
    }

    /// <summary>rmse of one batch with the reference's batch-pooled median scaling; null without valid pixels.</summary>
    public static double? ReferenceBatchRmse(IReadOnlyList<FloatMap> scaledDisparities, IReadOnlyList<FloatMap?> groundTruth)
    {
        var preds = new List<float>();
        var gts = new List<float>();
        for (int i = 0; i < scaledDisparities.Count; i++)
        {
            var gt = groundTruth[i];
            if (gt is null) continue;
            var d = scaledDisparities[i];
            var depth = new FloatMap(d.Height, d.Width, d.Values.Select(v => 1f / v).ToArray());
            var pred = Resize(depth, gt.Width, gt.Height);
            var (r0, r1, c0, c1) = Crop(gt.Height, gt.Width);
            for (int y = r0; y < r1; y++)
                for (int x = c0; x < c1; x++)
                {
                    float g = gt[y, x];
                    if (g <= 0) continue;
                    gts.Add(g);
                    preds.Add(Math.Clamp(pred[y * gt.Width + x], 1e-3f, 80f));
                }
        }
        if (gts.Count == 0) return null;
        double ratio = Median(gts) / Median(preds);
        double se = 0;
        for (int i = 0; i < gts.Count; i++)
        {
            double p = Math.Clamp(preds[i] * ratio, 1e-3, 80);
            se += (gts[i] - p) * (gts[i] - p);
        }
        return Math.Sqrt(se / gts.Count);
    }

    /// <summary>
    /// Eigen metrics of one image; <paramref name="fixedScale"/> (e.g. 5.4 for stereo) replaces median scaling.
    /// Null when the image has no valid ground truth. Also returns the median ratio used (1 for a fixed scale).
    /// </summary>
    public static (double[] Metrics, double Ratio)? Eigen(FloatMap scaledDisparity, FloatMap gt, double? fixedScale = null)
    {
        var disp = Resize(scaledDisparity, gt.Width, gt.Height);
        var (r0, r1, c0, c1) = Crop(gt.Height, gt.Width);
        var preds = new List<double>();
        var gts = new List<double>();
        for (int y = r0; y < r1; y++)
            for (int x = c0; x < c1; x++)
            {
                float g = gt[y, x];
                if (!(g > 1e-3f && g < 80f)) continue;
                gts.Add(g);
                preds.Add(1.0 / disp[y * gt.Width + x]);
            }
        if (gts.Count == 0) return null;
        double ratio = fixedScale ?? Median(gts) / Median(preds);
        double absRel = 0, sqRel = 0, se = 0, sle = 0, a1 = 0, a2 = 0, a3 = 0;
        for (int i = 0; i < gts.Count; i++)
        {
            double g = gts[i], p = Math.Clamp(preds[i] * ratio, 1e-3, 80);
            double t = Math.Max(g / p, p / g);
            if (t < 1.25) a1++;
            if (t < 1.25 * 1.25) a2++;
            if (t < 1.25 * 1.25 * 1.25) a3++;
            absRel += Math.Abs(g - p) / g;
            sqRel += (g - p) * (g - p) / g;
            se += (g - p) * (g - p);
            sle += (Math.Log(g) - Math.Log(p)) * (Math.Log(g) - Math.Log(p));
        }
        int n = gts.Count;
        return ([absRel / n, sqRel / n, Math.Sqrt(se / n), Math.Sqrt(sle / n), a1 / n, a2 / n, a3 / n], ratio);
    }

    /// <summary>numpy's median: the mean of the two middle values for an even count.</summary>
    public static double Median<T>(List<T> values) where T : IConvertible
    {
        var sorted = values.Select(v => v.ToDouble(null)).ToArray();
        Array.Sort(sorted);
        int n = sorted.Length;
        return n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
    }
}

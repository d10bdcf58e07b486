using Mlda.Core.Imaging;

namespace Mlda.Core.Evaluation;

/// <summary>
/// The reference's in-training validation metric (MLDA <c>losses/loss.py</c> <c>compute_depth_losses</c>, the same
/// as monodepth2's <c>trainer.compute_depth_losses</c> with numpy's median): NOT the Eigen protocol. On 375x1242 maps:
/// clamp the predicted depth to [1e-3, 80]; mask gt &gt; 0 inside the fixed crop rows 153:371, cols 44:1197;
/// pool the masked pixels of the whole batch; one ratio median(gt)/median(pred) for the batch; scale; clamp again;
/// the seven metrics over the pooled pixels. The reference reports its rmse as "val RMSE". Computed in float32.
/// </summary>
public static class ValidationMetric
{
    public const int Height = 375;
    public const int Width = 1242;
    public const int CropTop = 153, CropBottom = 371, CropLeft = 44, CropRight = 1197;

    /// <param name="predictedDepth">depth ("depth", 0, 0), already upsampled bilinearly (align_corners=False) to 375x1242</param>
    /// <param name="groundTruth">the batch's ground truth at 375x1242 (0 = no measurement)</param>
    public static DepthMetrics Compute(IReadOnlyList<FloatMap> predictedDepth, IReadOnlyList<FloatMap> groundTruth)
    {
        if (predictedDepth.Count != groundTruth.Count)
            throw new ArgumentException($"{predictedDepth.Count} predictions for {groundTruth.Count} ground-truth maps");
        const float lo = 1e-3f, hi = 80f;
        var gt = new List<float>();
        var pred = new List<float>();
        for (int b = 0; b < groundTruth.Count; b++)
        {
            var g = groundTruth[b];
            var p = predictedDepth[b];
            if (g.Height != Height || g.Width != Width || p.Height != Height || p.Width != Width)
                throw new ArgumentException($"the validation metric needs {Height}x{Width} maps, got gt {g.Height}x{g.Width}, pred {p.Height}x{p.Width}");
            for (int y = CropTop; y < CropBottom; y++)
                for (int x = CropLeft; x < CropRight; x++)
                {
                    float v = g.Values[y * Width + x];
                    if (!(v > 0)) continue;
                    gt.Add(v);
                    pred.Add(Math.Clamp(p.Values[y * Width + x], lo, hi));
                }
        }
        var gtv = gt.ToArray();
        var pv = pred.ToArray();
        if (gtv.Length == 0) return DepthMetrics.Compute<float>(gtv, pv); // all NaN: no LiDAR point in the crop
        float ratio = NumpyReductions.Median<float>(gtv) / NumpyReductions.Median<float>(pv);
        for (int i = 0; i < pv.Length; i++) pv[i] = Math.Clamp(pv[i] * ratio, lo, hi);
        return DepthMetrics.Compute<float>(gtv, pv);
    }
}

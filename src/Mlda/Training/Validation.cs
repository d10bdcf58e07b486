using Mlda.Core.Evaluation;
using Mlda.Core.Imaging;
using Mlda.Interop;
using Mlda.Layers;
using Mlda.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace Mlda.Training;

/// <summary>
/// A validation pass (reference <c>Trainer.val</c>): the networks in eval mode over the whole val split without
/// augmentation; the mean loss and photometric error, and where LiDAR exists the reference's validation metric per
/// batch (rmse avg/min/max, <see cref="ValidationMetric"/>) and the Eigen metrics (<see cref="EigenEvaluation"/>,
/// per-image median scaling; plus ×5.4 stereo scaling when the run learns from stereo).
/// </summary>
public static class Validation
{
    public static ValidationResult Run(ITrainingDataset val, MldaNetworks nets, TrainingForward forward, int batchSize, Device device, int workers)
    {
        nets.Eval();
        using var noGrad = no_grad();
        var loader = new BatchLoader(val, batchSize, shuffle: false, dropLast: false, seed: 0, workers, prefetch: 2);
        double lossSum = 0, photoSum = 0;
        int items = 0;
        var rmses = new List<double>();
        var gts = new List<FloatMap>();
        var disps = new List<FloatMap>();
        foreach (var cpuBatch in loader.Epoch(0))
        {
            using var owner = cpuBatch;
            using var noGc = new NoGcRegion(); // TorchSharp temporaries must outlive their native calls
            using var scope = NewDisposeScope();
            var output = forward.Run(cpuBatch.To(device));
            lossSum += output.Terms.Total.item<float>() * cpuBatch.Size;
            photoSum += output.Terms.Photometric.item<float>() * cpuBatch.Size;
            items += cpuBatch.Size;
            var withGt = Enumerable.Range(0, cpuBatch.Size).Where(i => cpuBatch.GroundTruth[i] is not null).ToArray();
            var withMetricGt = Enumerable.Range(0, cpuBatch.Size).Where(i => cpuBatch.ValidationGroundTruth[i] is not null).ToArray();
            if (withMetricGt.Length > 0)
            {
                // compute_depth_losses: camera depth ("depth_gt", 375x1242) against depth upsampled to that size.
                var depth375 = ReferenceDepth(output.Disparities[0], nets.Options);
                var m = ValidationMetric.Compute(
                    withMetricGt.Select(i => depth375[i]).ToArray(),
                    withMetricGt.Select(i => cpuBatch.ValidationGroundTruth[i]!).ToArray());
                if (double.IsFinite(m.Rmse)) rmses.Add(m.Rmse);
            }
            if (withGt.Length == 0) continue;
            var batchDisps = ScaledDisparities(output.Disparities[0], nets.Options);
            foreach (var i in withGt) { gts.Add(cpuBatch.GroundTruth[i]!); disps.Add(batchDisps[i]); }
        }
        Dictionary<string, double>? eigen = null;
        if (gts.Count > 0)
        {
            eigen = [];
            var mono = EigenEvaluation.Evaluate(gts, disps, new EvaluationOptions(EvaluationMode.Mono, val.GroundTruthMask)).Mean.ToArray();
            for (int k = 0; k < DepthMetrics.Names.Count; k++) eigen["eigen_mono/" + DepthMetrics.Names[k]] = mono[k];
            if (val.Options.UseStereo)
            {
                var stereo = EigenEvaluation.Evaluate(gts, disps, new EvaluationOptions(EvaluationMode.Stereo, val.GroundTruthMask)).Mean.ToArray();
                for (int k = 0; k < DepthMetrics.Names.Count; k++) eigen["eigen_stereo/" + DepthMetrics.Names[k]] = stereo[k];
            }
        }
        return new ValidationResult(items, lossSum / Math.Max(1, items), photoSum / Math.Max(1, items),
            rmses.Count > 0 ? rmses.Average() : null, rmses.Count > 0 ? rmses.Min() : null, rmses.Count > 0 ? rmses.Max() : null,
            eigen);
    }

    /// <summary>Sigmoid disparities [B,1,H,W] to the reference's scaled disparities, one map per image.</summary>
    public static IReadOnlyList<FloatMap> ScaledDisparities(Tensor sigmoidDisparity, ModelOptions options)
    {
        using var noGc = new NoGcRegion(); // TorchSharp temporaries must outlive their native calls
        using var scope = NewDisposeScope();
        var scaled = DispToDepth.Convert(sigmoidDisparity.detach(), options.MinDepth, options.MaxDepth).ScaledDisparity;
        return ToMaps(scaled);
    }

    /// <summary>("depth", 0, 0) upsampled bilinearly (align_corners = false) to 375×1242, as the reference's metric does.</summary>
    static IReadOnlyList<FloatMap> ReferenceDepth(Tensor sigmoidDisparity, ModelOptions options)
    {
        using var noGc = new NoGcRegion(); // TorchSharp temporaries must outlive their native calls
        using var scope = NewDisposeScope();
        var depth = DispToDepth.Convert(sigmoidDisparity.detach(), options.MinDepth, options.MaxDepth).Depth;
        depth = nn.functional.interpolate(depth, [ValidationMetric.Height, ValidationMetric.Width], mode: InterpolationMode.Bilinear, align_corners: false);
        return ToMaps(depth);
    }

    static IReadOnlyList<FloatMap> ToMaps(Tensor t)
    {
        var cpu = t.to(CPU).to(float32).contiguous();
        long b = cpu.shape[0], h = cpu.shape[2], w = cpu.shape[3];
        var all = cpu.data<float>().ToArray();
        return Enumerable.Range(0, (int)b).Select(i => new FloatMap((int)h, (int)w, all.AsSpan((int)(i * h * w), (int)(h * w)).ToArray())).ToArray();
    }
}

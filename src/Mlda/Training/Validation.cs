using Mlda.Core.Evaluation;
using Mlda.Core.Imaging;
using Mlda.Core.Prediction;
using Mlda.Interop;
using Mlda.Networks;
using Mlda.Prediction;
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
        // The metrics take their disparities from the one predictor that evaluation and prediction use.
        using var model = new TorchDisparityModel(nets, ownsNetworks: false);
        var predictor = new DepthPredictor(model, new DepthScaling(nets.Options.MinDepth, nets.Options.MaxDepth));
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
            if (withGt.Length == 0 && withMetricGt.Length == 0) continue;
            var sigmoid = predictor.PredictNetworkSize(cpuBatch.Target.contiguous().data<float>().ToArray(), cpuBatch.Size).Sigmoid;
            var batchDisps = sigmoid.Select(predictor.ScaledDisparity).ToArray();
            if (withMetricGt.Length > 0)
            {
                // compute_depth_losses: camera depth ("depth_gt", 375x1242) against depth upsampled to that size.
                var m = ValidationMetric.Compute(
                    withMetricGt.Select(i => ReferenceDepth(batchDisps[i])).ToArray(),
                    withMetricGt.Select(i => cpuBatch.ValidationGroundTruth[i]!).ToArray());
                if (double.IsFinite(m.Rmse)) rmses.Add(m.Rmse);
            }
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

    /// <summary>
    /// Depth (1/scaled disparity, float32 as torch's <c>reciprocal</c>) upsampled bilinearly (align_corners = false)
    /// to 375×1242, as the reference's <c>compute_depth_losses</c> does.
    /// </summary>
    static FloatMap ReferenceDepth(FloatMap scaledDisparity)
    {
        var depth = new FloatMap(scaledDisparity.Height, scaledDisparity.Width);
        for (int i = 0; i < depth.Values.Length; i++) depth.Values[i] = 1f / scaledDisparity.Values[i];
        return InputSizeResize.Bilinear(depth, ValidationMetric.Height, ValidationMetric.Width);
    }
}

using Mlda.Core.Imaging;
using Mlda.Layers;
using Mlda.Networks;
using static TorchSharp.torch;

namespace Mlda.Training;

/// <summary>
/// A validation pass (reference <c>Trainer.val</c>): the networks in eval mode over the whole val split without
/// augmentation; the mean loss and photometric error, and where LiDAR exists the reference's rmse per batch
/// (avg/min/max) and the Eigen metrics with per-image median scaling.
/// </summary>
public static class Validation
{
    public static ValidationResult Run(KittiRawDataset val, MldaNetworks nets, TrainingForward forward, int batchSize, Device device, int workers)
    {
        nets.Eval();
        using var noGrad = no_grad();
        var loader = new BatchLoader(val, batchSize, shuffle: false, dropLast: false, seed: 0, workers, prefetch: 2);
        double lossSum = 0, photoSum = 0;
        int items = 0;
        var rmses = new List<double>();
        var eigen = new List<double[]>();
        foreach (var cpuBatch in loader.Epoch(0))
        {
            using var owner = cpuBatch;
            using var scope = NewDisposeScope();
            var output = forward.Run(cpuBatch.To(device));
            lossSum += output.Terms.Total.item<float>() * cpuBatch.Size;
            photoSum += output.Terms.Photometric.item<float>() * cpuBatch.Size;
            items += cpuBatch.Size;
            if (cpuBatch.GroundTruth.All(g => g is null)) continue;
            var disps = ScaledDisparities(output.Disparities[0], nets.Options);
            if (ValidationMetrics.ReferenceBatchRmse(disps, cpuBatch.GroundTruth) is { } r) rmses.Add(r);
            for (int i = 0; i < disps.Count; i++)
                if (cpuBatch.GroundTruth[i] is { } gt && ValidationMetrics.Eigen(disps[i], gt) is { } m) eigen.Add(m.Metrics);
        }
        IReadOnlyDictionary<string, double>? eigenMeans = eigen.Count == 0 ? null
            : ValidationMetrics.EigenNames.Select((n, k) => (n, eigen.Average(e => e[k]))).ToDictionary(p => p.n, p => p.Item2);
        return new ValidationResult(items, lossSum / Math.Max(1, items), photoSum / Math.Max(1, items),
            rmses.Count > 0 ? rmses.Average() : null, rmses.Count > 0 ? rmses.Min() : null, rmses.Count > 0 ? rmses.Max() : null,
            eigenMeans);
    }

    /// <summary>Sigmoid disparities [B,1,H,W] to the reference's scaled disparities, one map per image.</summary>
    public static IReadOnlyList<FloatMap> ScaledDisparities(Tensor sigmoidDisparity, ModelOptions options)
    {
        using var scope = NewDisposeScope();
        var scaled = DispToDepth.Convert(sigmoidDisparity.detach(), options.MinDepth, options.MaxDepth).ScaledDisparity.to(CPU).to(float32).contiguous();
        long b = scaled.shape[0], h = scaled.shape[2], w = scaled.shape[3];
        var all = scaled.data<float>().ToArray();
        return Enumerable.Range(0, (int)b).Select(i => new FloatMap((int)h, (int)w, all.AsSpan((int)(i * h * w), (int)(h * w)).ToArray())).ToArray();
    }
}

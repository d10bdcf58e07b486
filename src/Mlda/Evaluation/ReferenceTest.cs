using Mlda.Core;
using Mlda.Core.Evaluation;
using Mlda.Core.Imaging;
using Mlda.Core.Kitti;
using Mlda.Core.Prediction;
using Mlda.Interop;
using TorchSharp;
using static TorchSharp.torch;

namespace Mlda.Evaluation;

/// <summary>What the reference's <c>test.py</c> reports: per-batch validation RMSE, its mean, minimum and maximum.</summary>
public sealed record ReferenceTestResult(int Items, IReadOnlyList<DepthMetrics> PerBatch, float RmseAvg, float RmseMin, float RmseMax)
{
    /// <summary>
    /// The line <c>trainer.py val</c> logs (<c>"val_dataset: rmse_avg={},rmse_min={} ,rmse_max={} "</c>, its odd
    /// spaces kept; the reference's own log spells it <c>val_dateset</c>), the numbers as Python prints a float32.
    /// </summary>
    public string Line => $"val_dataset: rmse_avg={PythonFormat.Repr(RmseAvg)},rmse_min={PythonFormat.Repr(RmseMin)} ,rmse_max={PythonFormat.Repr(RmseMax)} ";

    /// <summary>The seven metrics averaged over the batches, for the usual table.</summary>
    public DepthMetrics Mean => DepthMetrics.Mean(PerBatch);
}

/// <summary>
/// The reference's <c>test.py</c>: <c>Trainer.val(only_val=True)</c> over the val list. Lines whose neighbour frames
/// are missing are dropped (<c>trainer.py __init__</c>'s existence filter); batches of <see cref="BatchSize"/> without
/// the incomplete last one (<c>drop_last=True</c>); per batch <c>losses/loss.py compute_depth_losses</c>
/// (<see cref="ValidationMetric"/>: ("depth", 0, 0) bilinearly upsampled to 375x1242, one median ratio for the batch,
/// the fixed crop) against the camera-depth ground truth of <c>kitti_dataset.py get_depth</c>
/// (<see cref="TrainingGroundTruth"/>). The reference's loader shuffles, so its batches pair images at random; here
/// they are consecutive lines, which makes the figures repeatable.
/// </summary>
public static class ReferenceTest
{
    /// <summary>The reference's default <c>--batch_size</c>.</summary>
    public const int BatchSize = 2;

    public static ReferenceTestResult Run(DepthPredictor predictor, string dataRoot, IReadOnlyList<SplitEntry> entries, int batchSize = BatchSize,
        IProgress<ProgressUpdate>? progress = null, CancellationToken ct = default)
    {
        // The lines the reference keeps: the frame and its neighbours −1 and +1 exist (trainer.py __init__).
        var usable = new Training.KittiRawDataset(dataRoot, entries, new Training.DatasetOptions(predictor.Model.Height, predictor.Model.Width), isTrain: false).Entries;
        int batches = usable.Count / batchSize;
        if (batches == 0) throw new InputException(null, $"{usable.Count} usable validation items (of {entries.Count}), fewer than one batch of {batchSize}");
        var calibrations = new Dictionary<string, CameraCalibration>();
        var perBatch = new List<DepthMetrics>(batches);
        for (int b = 0; b < batches; b++)
        {
            ct.ThrowIfCancellationRequested();
            var batch = usable.Skip(b * batchSize).Take(batchSize).ToArray();
            // The one predictor: PIL Lanczos to the network size (NetworkInput), disp_to_depth's scaled disparity.
            var images = batch.AsParallel().AsOrdered().Select(e => ImageFile.LoadBgrMat(KittiRawLayout.ImagePath(dataRoot, e.Folder, e.Camera, e.FrameIndex))).ToList();
            IReadOnlyList<FloatMap> scaled;
            try
            {
                scaled = predictor.PredictNetworkSize(images).Sigmoid.Select(predictor.ScaledDisparity).ToArray();
            }
            finally
            {
                foreach (var m in images) m.Dispose();
            }
            var depth = UpsampledDepth(scaled);
            var gt = batch.Select(e =>
            {
                if (!calibrations.TryGetValue(e.Date, out var calib))
                    calibrations[e.Date] = calib = CameraCalibration.Load(Path.Combine(dataRoot, e.Date));
                return TrainingGroundTruth.Load(calib, KittiRawLayout.VelodynePath(dataRoot, e.Folder, e.FrameIndex), e.Camera);
            }).ToArray();
            perBatch.Add(ValidationMetric.Compute(depth, gt));
            progress?.Report(new ProgressUpdate("reference test", b + 1, batches));
        }
        // trainer.py val: np.mean / np.max of the float32 rmses, float32 results.
        var rmses = perBatch.Select(m => (float)m.Rmse).ToArray();
        return new ReferenceTestResult(batches * batchSize, perBatch, NumpyReductions.Mean<float>(rmses), rmses.Min(), rmses.Max());
    }

    /// <summary>Depth (1 / scaled disparity) bilinearly upsampled to 375x1242 with align_corners = false, as <c>compute_depth_losses</c> does.</summary>
    static IReadOnlyList<FloatMap> UpsampledDepth(IReadOnlyList<FloatMap> scaledDisparity)
    {
        using var noGc = new NoGcRegion(); // TorchSharp temporaries must outlive their native calls
        using var scope = NewDisposeScope();
        int h = scaledDisparity[0].Height, w = scaledDisparity[0].Width;
        var x = tensor(scaledDisparity.SelectMany(d => d.Values).ToArray(), [scaledDisparity.Count, 1, h, w]).reciprocal();
        var up = nn.functional.interpolate(x, [ValidationMetric.Height, ValidationMetric.Width], mode: InterpolationMode.Bilinear, align_corners: false).contiguous();
        var all = up.data<float>().ToArray();
        int n = ValidationMetric.Height * ValidationMetric.Width;
        return Enumerable.Range(0, scaledDisparity.Count).Select(i => new FloatMap(ValidationMetric.Height, ValidationMetric.Width, all.AsSpan(i * n, n).ToArray())).ToArray();
    }
}

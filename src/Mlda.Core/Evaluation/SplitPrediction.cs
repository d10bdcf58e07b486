using System.Runtime.ExceptionServices;
using Mlda.Core.Imaging;
using Mlda.Core.Kitti;
using Mlda.Core.Prediction;
using OpenCvSharp;

namespace Mlda.Core.Evaluation;

/// <summary>
/// A model's disparities for every line of a split, as monodepth2's <c>evaluate_depth.py</c> computes them: each
/// image PIL-Lanczos-resized to the network size, <see cref="DepthPredictor"/> (with post-processing the mirror
/// images in the same batch), and the scale-0 output converted with <c>disp_to_depth</c> to the scaled disparity
/// that the Eigen protocol takes. The same code for a checkpoint (TorchSharp) and for an export (ONNX Runtime).
/// </summary>
public static class SplitPrediction
{
    /// <summary>
    /// The scaled disparities in split order and, with <see cref="DepthPredictor.FlipPostProcess"/>, those of the
    /// mirror images (still mirrored, as <see cref="EigenEvaluation.EvaluatePostProcessed"/> takes them), predicted
    /// <paramref name="batchSize"/> images at a time. A missing or unreadable image is an <see cref="InputException"/>
    /// naming the split file, its line and the image.
    /// </summary>
    public static ExternalDisparities Predict(DepthPredictor predictor, string dataRoot, IReadOnlyList<SplitEntry> entries, string splitPath,
        int batchSize = 8, IProgress<ProgressUpdate>? progress = null, CancellationToken ct = default) =>
        Predict(predictor, entries.Count, i =>
        {
            var e = entries[i];
            try
            {
                return ImageFile.LoadBgrMat(KittiRawLayout.ImagePath(dataRoot, e.Folder, e.Camera, e.FrameIndex));
            }
            catch (InputException bad)
            {
                throw new InputException(splitPath, bad.Message, e.Line, bad);
            }
        }, batchSize, progress, ct);

    /// <summary>The same for image files (a scene folder's frames), in order; a bad image names its own file.</summary>
    public static ExternalDisparities PredictFiles(DepthPredictor predictor, IReadOnlyList<string> files,
        int batchSize = 8, IProgress<ProgressUpdate>? progress = null, CancellationToken ct = default) =>
        Predict(predictor, files.Count, i => ImageFile.LoadBgrMat(files[i]), batchSize, progress, ct);

    static ExternalDisparities Predict(DepthPredictor predictor, int count, Func<int, Mat> load,
        int batchSize, IProgress<ProgressUpdate>? progress, CancellationToken ct)
    {
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "at least 1");
        var disparities = new List<FloatMap>(count);
        var mirrored = predictor.FlipPostProcess ? new List<FloatMap>(count) : null;
        for (int start = 0; start < count; start += batchSize)
        {
            ct.ThrowIfCancellationRequested();
            int n = Math.Min(batchSize, count - start);
            var images = LoadImages(n, i => load(start + i));
            try
            {
                var network = predictor.PredictNetworkSize(images);
                disparities.AddRange(network.Sigmoid.Select(predictor.ScaledDisparity));
                mirrored?.AddRange(network.Mirrored!.Select(predictor.ScaledDisparity));
            }
            finally
            {
                foreach (var m in images) m.Dispose();
            }
            progress?.Report(new ProgressUpdate("predicting", start + n, count));
        }
        return new ExternalDisparities(disparities, mirrored);
    }

    /// <summary>Images read in parallel; the first bad one is rethrown as itself, not as an AggregateException.</summary>
    static Mat[] LoadImages(int count, Func<int, Mat> load)
    {
        var images = new Mat[count];
        try
        {
            Parallel.For(0, count, i => images[i] = load(i));
        }
        catch (AggregateException e) when (InputException.FirstIn(e) is { } bad)
        {
            foreach (var m in images) m?.Dispose();
            ExceptionDispatchInfo.Throw(bad);
        }
        return images;
    }
}

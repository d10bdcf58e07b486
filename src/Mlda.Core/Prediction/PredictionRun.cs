using Mlda.Core.Imaging;

namespace Mlda.Core.Prediction;

/// <summary>What to predict and what to write (shared by <c>mlda predict</c> and <c>mlda infer</c>).</summary>
public sealed record PredictionRequest(
    string Input,
    string OutDir,
    PredictionOutputs Outputs = PredictionOutputs.Default,
    int BatchSize = 1,
    CameraIntrinsics? Intrinsics = null,
    int PlyStride = 1);

/// <summary>What a run did.</summary>
public sealed record PredictionSummary(SourceKind Kind, int Frames, IReadOnlyList<string> Files, string? Video, double Seconds);

/// <summary>
/// Runs a <see cref="DepthPredictor"/> over an image, a folder or a video in batches and writes every output.
/// Batches hold <see cref="PredictionRequest.BatchSize"/> images; because the guided filter normalises over the
/// batch, the default is 1, which makes every image's result independent of its neighbours.
/// </summary>
public static class PredictionRun
{
    public static PredictionSummary Run(DepthPredictor predictor, PredictionRequest request, IProgress<ProgressUpdate>? progress = null, CancellationToken ct = default)
    {
        if (request.BatchSize < 1) throw new InputException(null, $"batch size must be at least 1, got {request.BatchSize}");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var source = PredictionSource.Open(request.Input);
        var writer = new PredictionWriter(request.OutDir, request.Outputs, request.Intrinsics, request.PlyStride);
        DepthVideoWriter? video = source.Kind == SourceKind.Video
            ? new DepthVideoWriter(Path.Combine(request.OutDir, Path.GetFileNameWithoutExtension(source.Path) + "_depth.mp4"), source.FramesPerSecond)
            : null;
        var files = new List<string>();
        int done = 0;
        try
        {
            var batch = new List<SourceFrame>(request.BatchSize);
            void Flush()
            {
                if (batch.Count == 0) return;
                try
                {
                    var predictions = predictor.Predict(batch.Select(f => f.Bgr).ToList());
                    for (int i = 0; i < batch.Count; i++)
                    {
                        files.AddRange(writer.Write(batch[i], predictions[i]));
                        video?.Add(batch[i].Bgr, predictions[i].Disparity);
                    }
                    done += batch.Count;
                    progress?.Report(new ProgressUpdate("predict", done, Math.Max(done, source.Count), batch[^1].Name));
                }
                finally
                {
                    foreach (var f in batch) f.Bgr.Dispose();
                    batch.Clear();
                }
            }
            foreach (var frame in source.Frames())
            {
                ct.ThrowIfCancellationRequested();
                batch.Add(frame);
                if (batch.Count == request.BatchSize) Flush();
            }
            Flush();
            if (video is not null)
            {
                video.Complete();
                files.Add(video.Path);
            }
            return new PredictionSummary(source.Kind, done, files, video?.Path, clock.Elapsed.TotalSeconds);
        }
        finally
        {
            video?.Dispose();
        }
    }
}

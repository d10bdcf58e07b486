using Mlda.Core.Prediction;
using Mlda.Runtime;
using OpenCvSharp;

namespace Mlda.Server;

/// <summary>
/// The loaded model behind the endpoints: the same <see cref="DepthPredictor"/> over the same
/// <see cref="IDisparityModel"/> and <see cref="DepthScaling"/> that <c>mlda infer</c> builds for an export, so an
/// answer equals the file <c>mlda infer</c> writes. Requests run at batch 1: the guided filter normalises over the
/// batch, so batching requests together would change their results.
/// </summary>
/// <param name="parallelRuns">ONNX Runtime runs let through at once (see <see cref="RunGate"/>)</param>
public sealed class DepthService(IDisparityModel model, DepthScaling scaling, string manifestJson, string trainingMode, int parallelRuns = 1) : IDisposable
{
    readonly DepthPredictor _predictor = new(new RunGate(model, parallelRuns), scaling);

    public IDisparityModel Model => model;
    public DepthScaling Scaling => scaling;

    /// <summary>The export's <c>model.json</c>, as written by <c>mlda export</c>.</summary>
    public string ManifestJson => manifestJson;

    public string TrainingMode => trainingMode;

    /// <summary>Loads an exported folder as <c>mlda infer --model</c> does (bad folders are <see cref="Core.InputException"/>).</summary>
    /// <param name="threads">ONNX Runtime intra-op threads of each run (0: one per physical core)</param>
    /// <param name="parallelRuns">runs at once on the one session</param>
    public static DepthService Load(string exportDir, int threads = 0, int parallelRuns = 1)
    {
        var onnx = OnnxDepthModel.Load(exportDir, new RuntimeOptions(IntraOpThreads: threads));
        try
        {
            var json = File.ReadAllText(Path.Combine(exportDir, ModelManifest.FileName));
            return new DepthService(onnx, onnx.Manifest.Scaling(), json, onnx.Manifest.TrainingMode, parallelRuns);
        }
        catch
        {
            onnx.Dispose();
            throw;
        }
    }

    public DepthPrediction Predict(Mat bgr) => _predictor.Predict(bgr);

    public void Dispose() => model.Dispose();
}

/// <summary>
/// Lets at most N ONNX Runtime runs through at once while the requests' decoding, resizing and encoding go on around
/// them. Runs beyond the cores only share them: with every core's threads in each run, unlimited concurrent runs took
/// 1.1 GB and 0.74 of the batch-1 rate at 640x192, one at a time 0.7 GB and 0.88 (<c>mlda bench serve</c>). One
/// single-threaded run per core (the server's default) also avoids the time a two-threaded run spends waiting for its
/// slower thread: 14.3-15.7 against 11.6 requests/s at 192x64 with 8 clients (README).
/// </summary>
sealed class RunGate(IDisparityModel model, int runs) : IDisparityModel
{
    readonly SemaphoreSlim _slots = new(runs, runs);

    public int Height => model.Height;
    public int Width => model.Width;

    public float[] PredictDisparity(float[] images, int batch)
    {
        _slots.Wait();
        try
        {
            return model.PredictDisparity(images, batch);
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <summary>Nothing: the <see cref="DepthService"/> owns the model and disposes it (the semaphore has no wait handle to free).</summary>
    public void Dispose() { }
}

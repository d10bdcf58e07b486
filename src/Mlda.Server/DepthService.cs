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
public sealed class DepthService(IDisparityModel model, DepthScaling scaling, string manifestJson, string trainingMode) : IDisposable
{
    readonly DepthPredictor _predictor = new(new OneRunAtATime(model), scaling);

    public IDisparityModel Model => model;
    public DepthScaling Scaling => scaling;

    /// <summary>The export's <c>model.json</c>, as written by <c>mlda export</c>.</summary>
    public string ManifestJson => manifestJson;

    public string TrainingMode => trainingMode;

    /// <summary>Loads an exported folder as <c>mlda infer --model</c> does (bad folders are <see cref="Core.InputException"/>).</summary>
    public static DepthService Load(string exportDir, int threads = 0)
    {
        var onnx = OnnxDepthModel.Load(exportDir, new RuntimeOptions(IntraOpThreads: threads));
        try
        {
            var json = File.ReadAllText(Path.Combine(exportDir, ModelManifest.FileName));
            return new DepthService(onnx, onnx.Manifest.Scaling(), json, onnx.Manifest.TrainingMode);
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
/// Lets one ONNX Runtime run through at a time while the requests' decoding, resizing and encoding go on around it.
/// One run at batch 1 already keeps every intra-op thread busy; runs started beside it only share the same cores
/// (measured with <c>mlda bench serve</c> at 640x192: concurrent runs took 1.1 GB and 0.74 of the batch-1 rate, one at
/// a time 0.7 GB and 0.88; see the README).
/// </summary>
sealed class OneRunAtATime(IDisparityModel model) : IDisparityModel
{
    readonly Lock _run = new();

    public int Height => model.Height;
    public int Width => model.Width;

    public float[] PredictDisparity(float[] images, int batch)
    {
        lock (_run) return model.PredictDisparity(images, batch);
    }

    /// <summary>Nothing: the <see cref="DepthService"/> owns the model and disposes it.</summary>
    public void Dispose() { }
}

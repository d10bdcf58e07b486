using Microsoft.ML.OnnxRuntime;
using Mlda.Core;
using Mlda.Core.Prediction;

namespace Mlda.Runtime;

/// <summary>
/// The exported MLDA-Net (<c>mlda.onnx</c> + <c>model.json</c>) run with ONNX Runtime alone: no TorchSharp.
/// Loading checks the manifest against the graph (input name, size and channels), so a corrupt file or a
/// manifest that does not match the graph fails at once with an <see cref="InputException"/>.
/// </summary>
public sealed class OnnxDepthModel : IDisparityModel
{
    readonly InferenceSession _session;
    readonly RunOptions _run = new();

    public ModelManifest Manifest { get; }
    public string Directory { get; }
    public int Height => Manifest.Height;
    public int Width => Manifest.Width;

    OnnxDepthModel(string dir, ModelManifest manifest, InferenceSession session, ModelPrecision precision)
    {
        Precision = precision;
        Directory = dir;
        Manifest = manifest;
        _session = session;
    }

    public ModelPrecision Precision { get; }

    /// <summary>Loads the folder's graph of the given precision (<see cref="ModelManifest.GraphFile"/>: the one place that chooses it).</summary>
    public static OnnxDepthModel Load(string dir, RuntimeOptions? options = null, ModelPrecision precision = ModelPrecision.Fp32)
    {
        var manifest = ModelManifest.Load(dir);
        var manifestPath = Path.Combine(dir, ModelManifest.FileName);
        var graphFile = manifest.GraphFile(precision, dir);
        var modelPath = Path.Combine(dir, graphFile);
        if (!File.Exists(modelPath)) throw new InputException(modelPath, "missing (named in model.json)");
        options ??= new RuntimeOptions();
        using var so = new SessionOptions
        {
            IntraOpNumThreads = options.IntraOpThreads,
            InterOpNumThreads = options.InterOpThreads,
            ExecutionMode = options.ParallelExecution ? ExecutionMode.ORT_PARALLEL : ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            EnableMemoryPattern = options.EnableMemoryPattern,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        if (options.OptimizedModelPath is string optimized) so.OptimizedModelFilePath = optimized;
        if (options.ProfilePrefix is string profile)
        {
            so.ProfileOutputPathPrefix = profile;   // first: the EnableProfiling setter passes the prefix set so far
            so.EnableProfiling = true;
        }
        InferenceSession session;
        try
        {
            session = new InferenceSession(modelPath, so);
        }
        catch (OnnxRuntimeException e)
        {
            throw new InputException(modelPath, "not a loadable ONNX model: " + FirstLine(e.Message));
        }
        try
        {
            if (!session.InputMetadata.TryGetValue(manifest.InputName, out var input))
                throw new InputException(manifestPath, $"inputName '{manifest.InputName}' is not an input of {graphFile} (it has {string.Join(", ", session.InputMetadata.Keys)})");
            if (!session.OutputMetadata.ContainsKey(manifest.OutputName))
                throw new InputException(manifestPath, $"outputName '{manifest.OutputName}' is not an output of {graphFile}");
            var dims = input.Dimensions;
            if (dims.Length != 4 || dims[1] != 3 || dims[2] != manifest.Height || dims[3] != manifest.Width)
                throw new InputException(manifestPath, $"input size {manifest.Width}x{manifest.Height} does not match the graph's input [{string.Join(",", dims)}] (N,3,H,W)");
        }
        catch
        {
            session.Dispose();
            throw;
        }
        return new OnnxDepthModel(dir, manifest, session, precision);
    }

    public float[] PredictDisparity(float[] images, int batch)
    {
        int plane = 3 * Height * Width;
        if (images.Length != batch * plane) throw new ArgumentException($"{images.Length} values for {batch} images of 3x{Height}x{Width}");
        using var input = OrtValue.CreateTensorValueFromMemory(images, [batch, 3, Height, Width]);
        using var outputs = _session.Run(_run, [Manifest.InputName], [input], [Manifest.OutputName]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    /// <summary>Stops ONNX Runtime's profiler (<see cref="RuntimeOptions.ProfilePrefix"/>) and returns the path of its JSON trace.</summary>
    public string EndProfiling() => _session.EndProfiling();

    static string FirstLine(string s) => s.Split('\n')[0].Trim();

    public void Dispose()
    {
        _session.Dispose();
        _run.Dispose();
    }
}

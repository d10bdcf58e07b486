using Microsoft.ML.OnnxRuntime;
using Mlda.Core.Prediction;
using Mlda.Networks;
using Mlda.Prediction;
using Mlda.Interop;
using Mlda.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Mlda.Export;

/// <summary>
/// One comparison: the largest absolute difference of the scale-0 disparity, fused and split graphs against TorchSharp;
/// optionally also the fused graph and TorchSharp's float32 networks each against the same networks run in float64 (the
/// exact answer up to float64 rounding). Where a network amplifies rounding, the two float32 engines can differ from each
/// other by more than 1e-4 while the export is no further from the exact answer than TorchSharp itself.
/// </summary>
public sealed record VerificationResult(string Input, int Batch, double FusedMaxAbsDiff, double SplitMaxAbsDiff,
                                        double? FusedVsFloat64 = null, double? TorchVsFloat64 = null)
{
    public double MaxAbsDiff => Math.Max(FusedMaxAbsDiff, SplitMaxAbsDiff);
}

/// <summary>
/// int8 against float32: largest disparity difference, largest depth difference (manifest units), largest and mean
/// relative depth difference. The largest values come from a few far pixels, where one disparity step is many metres;
/// the mean says how far the typical pixel moves.
/// </summary>
public sealed record Int8Comparison(string Input, int Batch, double DisparityMaxAbsDiff, double DepthMaxAbsDiff, double DepthMaxRelativeDiff,
                                    double DepthMeanRelativeDiff);

/// <summary>
/// Runs the exported graphs in ONNX Runtime against the TorchSharp networks on the same batches. Batches are
/// compared as wholes: the guided filter normalises over the batch, so only equal batches are comparable.
/// </summary>
public static class ExportVerifier
{
    /// <summary>A batch of uniform [0,1] images from a fixed seed.</summary>
    public static float[] RandomImages(int batch, int height, int width, int seed = 7)
    {
        var rng = new Random(seed);
        var data = new float[batch * 3 * height * width];
        for (int i = 0; i < data.Length; i++) data[i] = (float)rng.NextDouble();
        return data;
    }

    /// <summary>The network inputs of image files (Lanczos to the network size, as prediction does).</summary>
    public static float[] RealImages(IReadOnlyList<string> files, int height, int width)
    {
        var images = files.Select(PredictionSource.ReadImage).ToList();
        try
        {
            return NetworkInput.Batch(images, height, width);
        }
        finally
        {
            foreach (var m in images) m.Dispose();
        }
    }

    /// <param name="againstFloat64">also run a float64 copy of the networks and measure both float32 engines against it</param>
    public static VerificationResult Compare(MldaNetworks nets, string exportDir, string label, float[] images, int batch, RuntimeOptions? runtime = null,
                                             bool againstFloat64 = false)
    {
        using var torchModel = new TorchDisparityModel(nets, ownsNetworks: false);
        var expected = torchModel.PredictDisparity(images, batch);
        using var fused = OnnxDepthModel.Load(exportDir, runtime);
        var fusedOut = fused.PredictDisparity(images, batch);
        var splitOut = RunSplit(exportDir, fused.Manifest, images, batch);
        var result = new VerificationResult(label, batch, MaxAbsDiff(expected, fusedOut), MaxAbsDiff(expected, splitOut));
        if (!againstFloat64) return result;
        var exact = Float64Disparity(nets, images, batch);
        return result with { FusedVsFloat64 = MaxAbsDiff(exact, fusedOut), TorchVsFloat64 = MaxAbsDiff(exact, expected) };
    }

    /// <summary>The scale-0 disparity of a float64 copy of the encoder and depth decoder (<paramref name="nets"/> are left as they are).</summary>
    public static double[] Float64Disparity(MldaNetworks nets, float[] images, int batch)
    {
        using var noGc = new NoGcRegion(); // TorchSharp temporaries must outlive their native calls
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        using var copy = MldaNetworks.CreateForLoading(nets.Options, withPose: false);
        var source = nets.Named().ToDictionary(n => n.Name, n => n.Module);
        foreach (var (name, module) in copy.Named())
        {
            module.load_state_dict(source[name].state_dict());
            module.to(ScalarType.Float64);
            module.eval();
        }
        var x = tensor(images, [batch, 3, nets.Options.Height, nets.Options.Width]).to_type(ScalarType.Float64);
        var disp = copy.Depth.call(copy.Encoder.call(x))[0];
        return disp.contiguous().data<double>().ToArray();
    }

    /// <summary>
    /// The int8 graph against the float32 graph of the same folder, both in ONNX Runtime on the same batch: the
    /// largest disparity difference, and the largest depth difference in the manifest's units (metres for stereo training).
    /// </summary>
    public static Int8Comparison CompareInt8(string exportDir, string label, float[] images, int batch, RuntimeOptions? runtime = null)
    {
        using var fp32 = OnnxDepthModel.Load(exportDir, runtime);
        using var int8 = OnnxDepthModel.Load(exportDir, runtime, ModelPrecision.Int8);
        var a = fp32.PredictDisparity(images, batch);
        var b = int8.PredictDisparity(images, batch);
        var scaling = fp32.Manifest.Scaling();
        double depth = 0, relative = 0, sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double da = scaling.Depth(a[i]), db = scaling.Depth(b[i]), r = Math.Abs(da - db) / da;
            depth = Math.Max(depth, Math.Abs(da - db));
            relative = Math.Max(relative, r);
            sum += r;
        }
        return new Int8Comparison(label, batch, MaxAbsDiff(a, b), depth, relative, sum / a.Length);
    }

    /// <summary>encoder.onnx then depth.onnx (the reference's two-model inference), output disp_0.</summary>
    public static float[] RunSplit(string exportDir, ModelManifest manifest, float[] images, int batch)
    {
        using var so = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        using var encoder = new InferenceSession(Path.Combine(exportDir, manifest.Encoder), so);
        using var depth = new InferenceSession(Path.Combine(exportDir, manifest.Depth), so);
        using var run = new RunOptions();
        using var input = OrtValue.CreateTensorValueFromMemory(images, [batch, 3, manifest.Height, manifest.Width]);
        var featureNames = Enumerable.Range(0, 5).Select(OnnxExporter.FeatureName).ToList();
        using var features = encoder.Run(run, [OnnxExporter.ImageInput], [input], featureNames);
        using var disps = depth.Run(run, featureNames, features.ToList(), [OnnxExporter.DispName(0)]);
        return disps[0].GetTensorDataAsSpan<float>().ToArray();
    }

    public static double MaxAbsDiff(double[] exact, float[] b)
    {
        if (exact.Length != b.Length) throw new ArgumentException($"{exact.Length} vs {b.Length} values");
        double max = 0;
        for (int i = 0; i < exact.Length; i++) max = Math.Max(max, Math.Abs(exact[i] - b[i]));
        return max;
    }

    public static double MaxAbsDiff(float[] a, float[] b)
    {
        if (a.Length != b.Length) throw new ArgumentException($"{a.Length} vs {b.Length} values");
        double max = 0;
        for (int i = 0; i < a.Length; i++) max = Math.Max(max, Math.Abs((double)a[i] - b[i]));
        return max;
    }
}

using Mlda.Core;
using Mlda.Core.IO;
using Mlda.Core.Prediction;
using Mlda.Interop;
using Mlda.Networks;

namespace Mlda.Export;

/// <summary>How the exported model turns disparity into depth: the <see cref="Core.Prediction.TrainingMode"/> (M, S, MS) decides whether ×5.4 gives metres.</summary>
public sealed record ExportOptions(string TrainingMode = Core.Prediction.TrainingMode.MonoStereo, double? StereoScale = DepthScaling.StereoScaleFactor, Int8ExportOptions? Int8 = null)
{
    /// <summary>Mono-only training has no metric scale; stereo and mono+stereo learn the 0.1 baseline (×5.4 to metres).</summary>
    public static ExportOptions ForMode(string mode) =>
        Core.Prediction.TrainingMode.Parse(mode) is { } m
            ? new ExportOptions(m, Core.Prediction.TrainingMode.MetricScale(m))
            : throw new InputException(null, $"training mode '{mode}' is not one of {string.Join(", ", Core.Prediction.TrainingMode.All)}");
}

public sealed record ExportResult(string Dir, IReadOnlyList<string> Files, ModelManifest Manifest);

/// <summary>
/// Writes the exported model folder: <c>encoder.onnx</c> (image → feature1..feature5) and <c>depth.onnx</c>
/// (features → disp_0..disp_3, scale 0 first), the reference's two-model split; <c>mlda.onnx</c>, image →
/// scale-0 disparity in one graph; with <see cref="ExportOptions.Int8"/>, <c>mlda.int8.onnx</c> (<see cref="Int8Export"/>);
/// and <c>model.json</c>. Opset 17, dynamic batch, batch norm folded.
/// model.json is written last, so a folder without it is an unfinished export.
/// </summary>
public static class OnnxExporter
{
    public const string EncoderFile = "encoder.onnx";
    public const string DepthFile = "depth.onnx";
    public const string FusedFile = "mlda.onnx";
    public const string ImageInput = "image";
    public const string DisparityOutput = "disparity";
    const string Producer = "mlda-net-dotnet";

    public static string FeatureName(int level) => $"feature{level + 1}";

    public static string DispName(int scale) => $"disp_{scale}";

    public static byte[] EncoderModel(MldaNetworks nets)
    {
        using var noGc = new NoGcRegion(); // TorchSharp temporaries must outlive their native calls
        var (h, w) = (nets.Options.Height, nets.Options.Width);
        var g = new OnnxGraph("mlda_encoder");
        var image = g.Input(ImageInput, null, 3, h, w);
        var features = EncoderGraph.Write(g, image, nets.Encoder, h, w);
        for (int l = 0; l < 5; l++)
            g.Output(features[l], FeatureName(l), null, MldaEncoder.Channels[l], h >> (l + 1), w >> (l + 1));
        return g.ToBytes(Producer, "MLDA-Net encoder: RGB [0,1] NCHW in (normalised inside), five features out.");
    }

    public static byte[] DepthModel(MldaNetworks nets)
    {
        using var noGc = new NoGcRegion(); // TorchSharp temporaries must outlive their native calls
        var (h, w) = (nets.Options.Height, nets.Options.Width);
        var g = new OnnxGraph("mlda_depth");
        var features = new string[5];
        for (int l = 0; l < 5; l++) features[l] = g.Input(FeatureName(l), null, MldaEncoder.Channels[l], h >> (l + 1), w >> (l + 1));
        var scales = nets.Depth.Scales;
        var disps = DepthDecoderGraph.Write(g, features, nets.Depth, h, w, scales.ToArray());
        foreach (var s in scales) g.Output(disps[s]!, DispName(s), null, 1, h >> s, w >> s);
        return g.ToBytes(Producer, "MLDA-Net depth decoder: five features in, sigmoid disparities out (disp_0 = full resolution first).");
    }

    public static byte[] FusedModel(MldaNetworks nets)
    {
        using var noGc = new NoGcRegion(); // TorchSharp temporaries must outlive their native calls
        var (h, w) = (nets.Options.Height, nets.Options.Width);
        var g = new OnnxGraph("mlda");
        var image = g.Input(ImageInput, null, 3, h, w);
        var features = EncoderGraph.Write(g, image, nets.Encoder, h, w);
        var disp = DepthDecoderGraph.Write(g, features, nets.Depth, h, w, [0])[0]!;
        g.Output(disp, DisparityOutput, null, 1, h, w);
        return g.ToBytes(Producer, "MLDA-Net: RGB [0,1] NCHW in (normalised inside), scale-0 sigmoid disparity out.");
    }

    public static ModelManifest Manifest(ModelOptions options, ExportOptions export, bool withInt8 = false) => new(
        FormatVersion: ModelManifest.CurrentFormatVersion,
        Model: FusedFile,
        Encoder: EncoderFile,
        Depth: DepthFile,
        InputName: ImageInput,
        OutputName: DisparityOutput,
        Height: options.Height,
        Width: options.Width,
        Normalisation: new InputNormalisation([0.45, 0.45, 0.45], [0.225, 0.225, 0.225]),
        MinDepth: options.MinDepth,
        MaxDepth: options.MaxDepth,
        TrainingMode: export.TrainingMode,
        StereoScale: export.StereoScale,
        Opset: (int)OnnxGraph.Opset,
        Note: ModelManifest.BatchNote,
        Int8Model: withInt8 ? Int8Export.File : null);

    public static ExportResult Export(MldaNetworks nets, string outDir, ExportOptions export, IProgress<ProgressUpdate>? progress = null)
    {
        var calibration = export.Int8?.Files();   // a bad calibration folder fails before anything is written
        Directory.CreateDirectory(outDir);
        var manifestPath = Path.Combine(outDir, ModelManifest.FileName);
        // An older model.json would vouch for files that are about to change: remove it first.
        if (File.Exists(manifestPath)) File.Delete(manifestPath);
        var files = new List<string>();
        (string File, Func<MldaNetworks, byte[]> Build)[] graphs = [(EncoderFile, EncoderModel), (DepthFile, DepthModel), (FusedFile, FusedModel)];
        for (int i = 0; i < graphs.Length; i++)
        {
            progress?.Report(new ProgressUpdate("export", i, graphs.Length + 1, graphs[i].File));
            var path = Path.Combine(outDir, graphs[i].File);
            AtomicFile.WriteAllBytes(path, graphs[i].Build(nets));
            files.Add(path);
        }
        if (export.Int8 is not null && calibration is not null)
        {
            var int8 = Int8Export.Build(nets, export.Int8, progress);
            var path = Path.Combine(outDir, Int8Export.File);
            AtomicFile.WriteAllBytes(path, Google.Protobuf.MessageExtensions.ToByteArray(int8.Model));
            files.Add(path);
        }
        var manifest = Manifest(nets.Options, export, export.Int8 is not null);
        manifest.Save(outDir);
        files.Add(manifestPath);
        progress?.Report(new ProgressUpdate("export", graphs.Length + 1, graphs.Length + 1, ModelManifest.FileName));
        return new ExportResult(outDir, files, manifest);
    }
}

using Mlda.Core;
using Mlda.Core.Prediction;
using Mlda.Networks;
using Onnx;

namespace Mlda.Export;

/// <summary>What <c>mlda export --int8</c> calibrates on: the first <see cref="Count"/> images of a folder (sorted by name) or one image.</summary>
public sealed record Int8ExportOptions(string CalibrationImages, int Count = 64, QuantizationOptions? Quantization = null)
{
    public QuantizationOptions QuantizationOrDefault => Quantization ?? new QuantizationOptions();

    /// <summary>The calibration files, checked before anything is written: a folder without images is an input error.</summary>
    public IReadOnlyList<string> Files()
    {
        if (Count < 1) throw new InputException(null, $"--calibration-count must be at least 1, got {Count}");
        var source = PredictionSource.Open(CalibrationImages);
        if (source.Kind == SourceKind.Video) throw new InputException(CalibrationImages, "calibration takes images, not a video");
        return source.Files.Take(Count).ToList();
    }
}

/// <summary>The calibrated int8 graph and the activation ranges it was built from.</summary>
public sealed record Int8Model(ModelProto Model, IReadOnlyDictionary<string, ActivationRange> Ranges, int CalibrationImages);

/// <summary>
/// <c>mlda.int8.onnx</c>: the fused float graph (<see cref="OnnxExporter.FusedModel"/>) calibrated on real images at
/// the network's input size (<see cref="ActivationCalibration"/>) and rewritten into QDQ form (<see cref="QdqQuantizer"/>).
/// </summary>
public static class Int8Export
{
    public const string File = "mlda.int8.onnx";

    public static Int8Model Build(MldaNetworks nets, Int8ExportOptions options, IProgress<ProgressUpdate>? progress = null)
    {
        var files = options.Files();
        int h = nets.Options.Height, w = nets.Options.Width;
        var images = ExportVerifier.RealImages(files, h, w);
        var floatModel = ModelProto.Parser.ParseFrom(OnnxExporter.FusedModel(nets));
        var quantization = options.QuantizationOrDefault;
        var tensors = QdqQuantizer.TensorsToCalibrate(floatModel, quantization);
        var ranges = ActivationCalibration.Calibrate(floatModel, tensors, OnnxExporter.ImageInput, images, files.Count, h, w, quantization.Method, progress);
        return new Int8Model(QdqQuantizer.Quantize(floatModel, ranges, quantization), ranges, files.Count);
    }
}

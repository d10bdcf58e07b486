using System.Text.Json;
using System.Text.Json.Serialization;
using Mlda.Core.IO;

namespace Mlda.Core.Prediction;

/// <summary>Input normalisation; applied inside the exported graph (<see cref="AppliedInsideModel"/>), recorded for other runtimes.</summary>
public sealed record InputNormalisation(double[] Mean, double[] Std, bool AppliedInsideModel = true);

/// <summary>
/// <c>model.json</c>, written by <c>mlda export</c> next to the ONNX files and read by <c>Mlda.Runtime</c>:
/// everything a deployment needs besides the graph. Input: RGB float32 NCHW in [0,1] at exactly
/// <see cref="Height"/>x<see cref="Width"/>, any batch. Output: the scale-0 sigmoid disparity [N,1,H,W].
/// <see cref="Int8Model"/>, when present, names the calibrated int8 graph (same input and output).
/// </summary>
public sealed record ModelManifest(
    int FormatVersion,
    string Model,
    string Encoder,
    string Depth,
    string InputName,
    string OutputName,
    int Height,
    int Width,
    InputNormalisation Normalisation,
    double MinDepth,
    double MaxDepth,
    string TrainingMode,
    double? StereoScale,
    int Opset,
    string Note,
    string? Int8Model = null)
{
    public const string FileName = "model.json";
    public const int CurrentFormatVersion = 1;

    /// <summary>The batch-composition caveat written into every manifest.</summary>
    public const string BatchNote =
        "The decoder's attention-guided filter normalises its weights over the whole batch (as the reference), " +
        "so an image's disparity depends slightly on the other images of its batch; batch 1 is the reference single-image result.";

    static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>Depth conversion for this model: metric (×<see cref="StereoScale"/>) when it was trained with stereo, unless overridden.</summary>
    public DepthScaling Scaling(double? userScale = null) => new(MinDepth, MaxDepth, userScale ?? StereoScale);

    /// <summary>The graph file for <paramref name="precision"/>; asking for int8 from a folder exported without it is an input error.</summary>
    public string GraphFile(ModelPrecision precision, string dir) => precision switch
    {
        ModelPrecision.Fp32 => Model,
        ModelPrecision.Int8 => Int8Model ?? throw new InputException(Path.Combine(dir, FileName), "lists no int8 model: export with mlda export --int8 --calibration IMAGES"),
        _ => throw new ArgumentOutOfRangeException(nameof(precision)),
    };

    public void Save(string dir) => AtomicFile.WriteAllText(Path.Combine(dir, FileName), JsonSerializer.Serialize(this, Json) + "\n");

    /// <summary>Reads and validates <c>dir/model.json</c>; any problem is an <see cref="InputException"/> naming the file.</summary>
    public static ModelManifest Load(string dir)
    {
        var path = Path.Combine(dir, FileName);
        if (!Directory.Exists(dir)) throw new InputException(dir, "no such model folder");
        if (!File.Exists(path)) throw new InputException(path, "missing: not an exported model folder (run mlda export)");
        ModelManifest? m;
        try
        {
            m = JsonSerializer.Deserialize<ModelManifest>(File.ReadAllText(path), Json);
        }
        catch (JsonException e)
        {
            throw new InputException(path, $"not a valid model.json: {e.Message}", e.LineNumber is long line ? (int)line + 1 : null);
        }
        if (m is null) throw new InputException(path, "empty");
        // Exports made before the one spelling wrote "mono", "stereo" or "mono+stereo".
        if (!Prediction.TrainingMode.IsValid(m.TrainingMode) && Prediction.TrainingMode.Parse(m.TrainingMode) is { } mode) m = m with { TrainingMode = mode };
        m.Validate(path);
        return m;
    }

    public void Validate(string path)
    {
        if (FormatVersion != CurrentFormatVersion) throw new InputException(path, $"formatVersion {FormatVersion}, this program reads {CurrentFormatVersion}");
        if (Height <= 0 || Width <= 0 || Height % 32 != 0 || Width % 32 != 0)
            throw new InputException(path, $"input size {Width}x{Height}: width and height must be positive multiples of 32");
        if (string.IsNullOrWhiteSpace(Model) || string.IsNullOrWhiteSpace(InputName) || string.IsNullOrWhiteSpace(OutputName))
            throw new InputException(path, "model, inputName and outputName are required");
        if (!(MinDepth > 0 && MaxDepth > MinDepth)) throw new InputException(path, $"need 0 < minDepth < maxDepth, got {MinDepth} and {MaxDepth}");
        if (!Prediction.TrainingMode.IsValid(TrainingMode)) throw new InputException(path, $"trainingMode '{TrainingMode}' is not one of {string.Join(", ", Prediction.TrainingMode.All)}");
        if (StereoScale is double s && !(s > 0 && double.IsFinite(s))) throw new InputException(path, $"stereoScale must be positive, got {s}");
        if (Normalisation is null || Normalisation.Mean?.Length != 3 || Normalisation.Std?.Length != 3 || Normalisation.Std.Any(v => !(v > 0)))
            throw new InputException(path, "normalisation needs 3 means and 3 positive standard deviations");
    }
}

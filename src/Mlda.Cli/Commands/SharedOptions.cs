using System.CommandLine;
using Mlda.Core;
using Mlda.Networks;

namespace Mlda.Cli.Commands;

/// <summary>
/// The options several commands share, each made by one factory so that its name, meaning and help agree everywhere
/// (as dotnet-counters builds its commands from shared option factories). The caller passes the default from its
/// options record (<c>TrainOptions</c>, <c>DepthHintOptions</c>, ...), so it is stated once, and <c>--help</c> shows it.
/// </summary>
static class SharedOptions
{
    public static Option<int> Height(int defaultValue, string description = "input height, a multiple of 32") =>
        new("--height") { Description = description, DefaultValueFactory = _ => defaultValue };

    public static Option<int> Width(int defaultValue, string description = "input width, a multiple of 32") =>
        new("--width") { Description = description, DefaultValueFactory = _ => defaultValue };

    public static Option<string> PoseEncoder(PoseEncoderKind defaultValue)
    {
        var option = new Option<string>("--pose-encoder")
        {
            Description = "mlda (the reference's MLDA encoder on 6 channels) or light (plain ResNet-18)",
            DefaultValueFactory = _ => Name(defaultValue),
        };
        option.AcceptOnlyFromAmong(Name(PoseEncoderKind.Mlda), Name(PoseEncoderKind.Light));
        return option;
    }

    public static PoseEncoderKind PoseEncoderValue(ParseResult pr, Option<string> option) =>
        pr.GetValue(option) == Name(Networks.PoseEncoderKind.Light) ? Networks.PoseEncoderKind.Light : Networks.PoseEncoderKind.Mlda;

    static string Name(PoseEncoderKind kind) => kind.ToString().ToLowerInvariant();

    /// <summary><c>--batch-size</c> (old spelling <c>--batch</c> kept as an alias).</summary>
    public static Option<int> BatchSize(int defaultValue, string description = "batch size") =>
        new("--batch-size", "--batch") { Description = description, DefaultValueFactory = _ => defaultValue };

    /// <summary><c>--threads</c>; 0 means the engine's own choice, which <paramref name="description"/> names.</summary>
    public static Option<int> Threads(string description, int defaultValue = 0) =>
        new("--threads") { Description = description, DefaultValueFactory = _ => defaultValue };

    /// <summary><c>--parallel-runs</c>: ONNX Runtime runs a server lets through at once, each with <c>--threads</c> threads.</summary>
    public static Option<int> ParallelRuns(int defaultValue = 0) =>
        new("--parallel-runs")
        {
            Description = "model runs at once on the shared session, each with --threads threads (0: one per logical core, with --threads 1 the " +
                          "most throughput; --threads 0 --parallel-runs 1: one run on every core, the lowest latency for a lone request)",
            DefaultValueFactory = _ => defaultValue,
        };

    /// <summary><c>--precision</c>: which graph of an export ONNX Runtime runs.</summary>
    public static Option<string> Precision()
    {
        var option = new Option<string>("--precision")
        {
            Description = "fp32 (mlda.onnx) or int8 (mlda.int8.onnx, from mlda export --int8)",
            DefaultValueFactory = _ => "fp32",
        };
        option.AcceptOnlyFromAmong("fp32", "int8");
        return option;
    }

    public static Mlda.Core.Prediction.ModelPrecision PrecisionValue(ParseResult pr, Option<string> option) =>
        pr.GetValue(option) == "int8" ? Mlda.Core.Prediction.ModelPrecision.Int8 : Mlda.Core.Prediction.ModelPrecision.Fp32;

    public static Option<string> Device(string defaultValue) =>
        new("--device") { Description = "cpu, cuda or cuda:N (cuda needs a CUDA build of TorchSharp and a GPU)", DefaultValueFactory = _ => defaultValue };

    /// <summary>Whether the user gave <paramref name="option"/> (a default does not count): for layering flags over a config.</summary>
    public static bool Given(ParseResult pr, Option option) => pr.GetResult(option) is { Implicit: false };

    /// <summary>
    /// A device TorchSharp can use, or an <see cref="InputException"/>: asking for CUDA in a CPU build would otherwise
    /// fail deep inside libtorch with a stack trace.
    /// </summary>
    public static void RequireDevice(string device)
    {
        if (device == "cpu") return;
        if (device != "cuda" && !device.StartsWith("cuda:", StringComparison.Ordinal))
            throw new InputException("--device", $"must be cpu, cuda or cuda:N, got '{device}'");
        if (!TorchSharp.torch.cuda.is_available())
            throw new InputException(null, "CUDA is not available: this build uses TorchSharp-cpu, or no GPU and driver were found (use --device cpu)");
        if (device.StartsWith("cuda:", StringComparison.Ordinal)
            && (!int.TryParse(device[5..], out var index) || index < 0 || index >= TorchSharp.torch.cuda.device_count()))
            throw new InputException("--device", $"'{device}': this machine has {TorchSharp.torch.cuda.device_count()} CUDA device(s)");
    }

    /// <summary>Checks a network input size the way <see cref="ModelOptions.Validate"/> does, as an <see cref="InputException"/>.</summary>
    public static ModelOptions ValidModelOptions(ModelOptions options)
    {
        try { options.Validate(); }
        catch (ArgumentException e) { throw new InputException(null, e.Message, inner: e); }
        return options;
    }
}

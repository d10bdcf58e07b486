using System.Text.Json;
using System.Text.Json.Serialization;
using Mlda.Core;
using Mlda.Networks;

namespace Mlda.Training;

/// <summary>
/// Everything a training run depends on. Defaults are the reference's (<c>train.py</c> options, <c>trainer.py</c>):
/// mono + stereo with depth hints, 640×192, Adam at 1e-4, step decay every 2 epochs by 0.1 (with the reference's
/// off-by-one: the first decay comes after epoch 0), 10 epochs, batch 2, smoothness 0, ImageNet initialisation.
/// Read from a JSON config (camelCase keys, <see cref="Load"/>), overridden from the command line, and saved beside
/// the run as <c>train_options.json</c>.
/// </summary>
public sealed record TrainOptions
{
    // Data and run location.
    public string DataPath { get; init; } = "";
    public string SplitDir { get; init; } = "";
    /// <summary>"auto" (a scene folder when DataPath has train.txt or test.txt, else KITTI), "kitti" or "scenes".</summary>
    public string Dataset { get; init; } = "auto";
    /// <summary>fx,fy,cx,cy in pixels for scenes without cam.txt (scene folders only).</summary>
    public string? Intrinsics { get; init; }
    public string LogDir { get; init; } = "";
    public string ModelName { get; init; } = "mlda";
    /// <summary>Root of precomputed depth hints; null trains without hints.</summary>
    public string? HintPath { get; init; }

    // What is learned from.
    /// <summary>"MS" (reference), "M" (temporal neighbours only) or "S" (stereo only).</summary>
    public string Mode { get; init; } = "MS";
    public int Height { get; init; } = 192;
    public int Width { get; init; } = 640;
    public int NumScales { get; init; } = 4;
    public double MinDepth { get; init; } = 0.1;
    public double MaxDepth { get; init; } = 100;
    public PoseEncoderKind PoseEncoder { get; init; } = PoseEncoderKind.Mlda;
    public bool ImageNetPretrained { get; init; } = true;
    /// <summary>
    /// Start the disparity heads at this depth (network units; × 5.4 ≈ metres) by setting their bias, instead of the
    /// reference's zero bias (sigmoid 0.5: depth 0.2 units ≈ 1 m, far nearer than a street scene). Null = reference.
    /// A deviation for short runs: the heads then start near plausible depths instead of having to travel there.
    /// </summary>
    public double? InitialDepth { get; init; }

    // Loss.
    public double Smoothness { get; init; }
    /// <summary>Tie-break noise on the identity loss: 0 in the MLDA reference, 1e-5 in depth-hints.</summary>
    public double IdentityNoise { get; init; }

    // Optimisation.
    public int BatchSize { get; init; } = 2;
    public double LearningRate { get; init; } = 1e-4;
    public int SchedulerStepSize { get; init; } = 2;
    public double SchedulerGamma { get; init; } = 0.1;
    /// <summary>The reference steps its StepDecay once too often: lr(e) = lr·γ^⌊(e+1)/step⌋ (<c>trainer.py</c>, Paddle's <c>StepDecay</c>).</summary>
    public bool SchedulerOffByOne { get; init; } = true;
    /// <summary>
    /// Raise the rate linearly from lr/N to lr over the first N steps (0 = none, the reference). A deviation for short,
    /// small-batch CPU runs: Adam's first steps at the full rate can drive every sigmoid head to one end.
    /// </summary>
    public int WarmupSteps { get; init; }
    /// <summary>
    /// The pose networks' learning rate as a multiple of <see cref="LearningRate"/> (1 = one rate for all, the reference).
    /// A deviation for short mono runs: the pose decoder's output is scaled by 0.01 (<c>pose_decoder.py</c>), so at a rate
    /// the depth heads tolerate, the translation grows about a hundred times slower than a disparity logit and the pose
    /// is still wrong when the budget ends (measured: see the README, "Why mode M learned slowly").
    /// </summary>
    public double PoseLearningRateScale { get; init; } = 1;
    public int Epochs { get; init; } = 10;
    /// <summary>Stop each epoch after this many steps (quick runs); 0 = the whole split.</summary>
    public int MaxStepsPerEpoch { get; init; }
    public long Seed { get; init; }
    /// <summary>"cpu" or "cuda" (a CUDA build of TorchSharp is needed for the latter).</summary>
    public string Device { get; init; } = "cpu";
    /// <summary>Intra-op threads for TorchSharp; 0 leaves its default.</summary>
    public int Threads { get; init; }

    /// <summary>
    /// Stop after this many minutes of training (0 = no limit): the epoch in progress ends early, is validated and
    /// saved, and the run counts as finished. A guard for time-boxed runs such as the CPU configuration.
    /// </summary>
    public double TimeLimitMinutes { get; init; }

    // Data loading.
    public int Workers { get; init; } = 2;
    public int Prefetch { get; init; } = 4;
    public bool CacheImages { get; init; }
    public bool JitterPerImage { get; init; }

    // Logging, validation, checkpoints.
    public int LogFrequency { get; init; } = 250;
    /// <summary>Validate every N steps as well as after each epoch; 0 = after each epoch only.</summary>
    public int ValidateEvery { get; init; }
    /// <summary>Validate on at most this many val items; 0 = all.</summary>
    public int MaxValidationItems { get; init; }
    public int SaveFrequency { get; init; } = 1;
    /// <summary>
    /// What <c>best_weights</c> is chosen by: the reference's <c>rmse_avg</c> (default), or a lower-is-better Eigen
    /// metric of the val split such as <c>eigen_stereo/abs_rel</c>. Without LiDAR the val loss decides either way.
    /// </summary>
    public string BestMetric { get; init; } = ReferenceBestMetric;
    public const string ReferenceBestMetric = "rmse_avg";
    static readonly string[] BestMetrics = [ReferenceBestMetric,
        .. new[] { "eigen_mono", "eigen_stereo" }.SelectMany(m => new[] { "abs_rel", "sq_rel", "rmse", "rmse_log" }.Select(k => $"{m}/{k}"))];
    /// <summary>This many non-finite losses in a row restore the best weights and divide the rate by 10.</summary>
    public int NonFiniteLimit { get; init; } = 5;

    [JsonIgnore] public bool UsesTemporal => Mode.Contains('M');
    [JsonIgnore] public bool UsesStereo => Mode.Contains('S');
    [JsonIgnore] public bool UsesHints => HintPath is not null;
    /// <summary>Whether the data is a scene folder (<see cref="Dataset"/>, or recognised by its train.txt).</summary>
    [JsonIgnore] public bool IsScenes => Dataset == "scenes" || Dataset == "auto" && Mlda.Core.Scenes.SceneLayout.IsSceneRoot(DataPath);
    [JsonIgnore] public string RunDir => Path.Combine(LogDir, ModelName);
    [JsonIgnore] public string ModelsDir => Path.Combine(RunDir, "models");

    public ModelOptions ToModelOptions() =>
        new(Height, Width, PoseEncoder, MinDepth, MaxDepth, Enumerable.Range(0, NumScales).ToArray(), Mode);

    public DatasetOptions ToDatasetOptions(bool groundTruth) => new(
        Height, Width, NumScales,
        UsesTemporal ? [-1, 1] : [],
        UsesStereo,
        HintPath,
        groundTruth,
        CacheImages,
        JitterPerImage);

    /// <summary>
    /// The learning rate of 0-based epoch <paramref name="epoch"/> under the step schedule, at 0-based global step
    /// <paramref name="step"/> (which matters only during the warm-up).
    /// </summary>
    public double LearningRateAt(int epoch, long step = long.MaxValue)
    {
        int e = epoch + (SchedulerOffByOne ? 1 : 0);
        double warmup = WarmupSteps > 0 ? Math.Min(1.0, (step + 1.0) / WarmupSteps) : 1.0;
        return warmup * LearningRate * Math.Pow(SchedulerGamma, e / Math.Max(1, SchedulerStepSize));
    }

    /// <summary>Throws <see cref="InputException"/> (naming <paramref name="source"/>) for options that cannot run.</summary>
    public void Validate(string source = "options")
    {
        void Fail(string m) => throw new InputException(source, m);
        if (Mode is not ("M" or "S" or "MS")) Fail($"mode must be M, S or MS, got '{Mode}'");
        if (UsesHints && !UsesStereo) Fail("depth hints need the stereo view (mode S or MS): the hint's reprojection warps it");
        if (Height <= 0 || Width <= 0 || Height % 32 != 0 || Width % 32 != 0) Fail($"height and width must be positive multiples of 32, got {Width}x{Height}");
        if (NumScales is < 1 or > 4) Fail($"numScales must be 1..4, got {NumScales}");
        if (BatchSize <= 0) Fail("batch size must be positive");
        if (Epochs <= 0) Fail("epochs must be positive");
        if (!(LearningRate > 0)) Fail("learning rate must be positive");
        if (WarmupSteps < 0) Fail("warm-up steps must be zero or positive");
        if (!(PoseLearningRateScale > 0) || PoseLearningRateScale > 1000) Fail($"the pose learning-rate scale must be in (0, 1000], got {PoseLearningRateScale}");
        if (!BestMetrics.Contains(BestMetric)) Fail($"bestMetric must be one of {string.Join(", ", BestMetrics)}, got '{BestMetric}'");
        if (Device is not ("cpu" or "cuda") && !Device.StartsWith("cuda:", StringComparison.Ordinal)) Fail($"device must be cpu or cuda, got '{Device}'");
        if (string.IsNullOrEmpty(DataPath)) Fail("no data path (--data)");
        if (Dataset is not ("auto" or "kitti" or "scenes")) Fail($"dataset must be auto, kitti or scenes, got '{Dataset}'");
        if (IsScenes)
        {
            if (Mode != "M") Fail($"scene folders train in mode M (video): stereo and depth hints need KITTI's stereo pairs, got mode {Mode}");
        }
        else if (string.IsNullOrEmpty(SplitDir)) Fail("no split folder (--split-dir)");
        if (string.IsNullOrEmpty(LogDir)) Fail("no log folder (--log-dir)");
    }

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals, // the best metric starts at +Infinity
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>A JSON config file; unknown keys are errors (a misspelt key must not silently do nothing).</summary>
    public static TrainOptions Load(string path)
    {
        if (!File.Exists(path)) throw new InputException(path, "config file not found");
        try
        {
            return JsonSerializer.Deserialize<TrainOptions>(File.ReadAllText(path), Json)
                   ?? throw new InputException(path, "empty config");
        }
        catch (JsonException e)
        {
            throw new InputException(path, e.Message, e.LineNumber is { } l ? (int)l + 1 : null, e);
        }
    }

    public string ToJson() => JsonSerializer.Serialize(this, Json);
}

using System.Diagnostics;
using Mlda.Checkpoints;
using Mlda.Core;
using Mlda.Core.Evaluation;
using Mlda.Core.Hints;
using Mlda.Core.IO;
using Mlda.Core.Kitti;
using Mlda.Core.Prediction;
using Mlda.Core.Synthetic;
using Mlda.Export;
using Mlda.Prediction;
using Mlda.Runtime;
using Mlda.Training;

namespace Mlda.Demo;

/// <summary>What the demo produced: each step, the Eigen metrics on the synthetic test drive, and where things are.</summary>
public sealed record DemoResult(
    IReadOnlyList<DemoStep> Steps,
    string EvaluationTable,
    DepthMetrics StereoMetrics,
    double ExportMaxAbsDiff,
    IReadOnlyDictionary<string, string> Locations);

/// <summary>
/// The whole pipeline on the embedded default, end to end: render a synthetic KITTI-layout set, compute its depth
/// hints, train MLDA-Net (the CPU configuration), evaluate on the held-out synthetic drive with the Eigen protocol,
/// predict on a synthetic and a real frame, export to ONNX, and infer with ONNX Runtime. Every step records its
/// completion under <c>&lt;out&gt;/.steps</c>, so a re-run reuses finished steps (an interrupted training resumes).
/// </summary>
public sealed class DemoPipeline(DemoOptions options, IProgress<ProgressUpdate>? progress = null, Action<string>? say = null)
{
    readonly Action<string> _say = say ?? (_ => { });
    readonly List<DemoStep> _steps = [];

    string Out => options.OutDir;
    string Data => Path.Combine(Out, "data");
    string Splits => Path.Combine(Data, "splits");
    string Hints => Path.Combine(Data, "depth_hints");
    string Runs => Path.Combine(Out, "runs");
    const string RunName = "demo";
    string BestWeights => Path.Combine(Runs, RunName, "models", Trainer.BestDir);
    string EvalJson => Path.Combine(Out, "eval", "synthetic_test_stereo.json");
    string EvalTable => Path.Combine(Out, "eval", "synthetic_test_stereo.txt");
    string EvalMean => Path.Combine(Out, "eval", "synthetic_test_stereo_mean.json");
    string OnnxDir => Path.Combine(Out, "onnx");
    string ExportCheck => Path.Combine(OnnxDir, "verify.txt");

    public DemoResult Run(CancellationToken ct = default)
    {
        if (!File.Exists(options.ConfigPath)) throw new InputException(options.ConfigPath, "training configuration not found");
        if (options.Fresh && Directory.Exists(Out))
        {
            _say($"--fresh: removing {Out}");
            Directory.Delete(Out, recursive: true);
        }
        Directory.CreateDirectory(Out);

        Step("synth", () =>
        {
            var synth = new SyntheticDatasetOptions(options.Drives, options.Frames, options.Seed, options.ImageWidth, options.ImageHeight);
            var summary = SyntheticDataset.Generate(Data, synth, progress, ct);
            _say($"synthetic set: {summary.FramesRendered} frames rendered ({summary.SecondsPerFrame:F2} s per frame), {summary.FramesSkipped} reused");
            return [Data];
        }, ct);

        Step("hints", () =>
        {
            var entries = SplitFile.Read(Path.Combine(Splits, "train_files.txt")).Concat(SplitFile.Read(Path.Combine(Splits, "val_files.txt")));
            var job = new DepthHintJob(Data, Hints, DepthHintItem.FromSplit(entries));
            var result = job.Run(progress, ct);
            ct.ThrowIfCancellationRequested();
            if (!result.Succeeded) throw new InputException(Hints, $"{result.Failures.Count} hints failed, first: {result.Failures[0].Message}");
            _say($"depth hints: {result.Written} written, {result.Skipped} reused");
            return [Hints];
        }, ct);

        Step("train", () =>
        {
            var train = TrainOptions.Load(options.ConfigPath) with
            {
                DataPath = Data, SplitDir = Splits, LogDir = Runs, ModelName = RunName, HintPath = Hints,
            };
            // A fixed number of steps: a time limit would make the result depend on the machine's speed and load.
            train = train with { TimeLimitMinutes = 0 };
            bool resume = Directory.Exists(Path.Combine(train.ModelsDir, Trainer.LastDir));
            using var trainer = new Trainer(train, resume, progress, _say);
            var result = trainer.Run(ct);
            if (result.Interrupted) throw new OperationCanceledException("training interrupted; run the demo again to resume it");
            return [BestWeights];
        }, ct);

        Step("eval", () =>
        {
            var testSplit = Path.Combine(Splits, "test_files.txt");
            var entries = SplitFile.Read(testSplit);
            using var predictor = Mlda.Evaluation.SplitPredictor.Load(BestWeights);
            var (disparities, _) = predictor.PredictSplit(Data, entries, postProcess: false, progress: progress, ct: ct);
            var gt = GroundTruthSet.Open(Data, entries, testSplit);
            var stereo = EigenEvaluation.Evaluate(gt, disparities, new EvaluationOptions(EvaluationMode.Stereo, EvaluationMask.Eigen), progress, ct);
            EvaluationReport.WriteJson(EvalJson, stereo, new Dictionary<string, string> { ["split_file"] = Path.GetFullPath(testSplit), ["weights"] = Path.GetFullPath(BestWeights) });
            AtomicFile.WriteAllText(EvalTable, EvaluationReport.ModeLine(stereo.Options) + "\n" + EvaluationReport.Table(stereo));
            AtomicFile.WriteAllText(EvalMean, System.Text.Json.JsonSerializer.Serialize(stereo.Mean));
            return [EvalJson];
        }, ct);

        var inputs = PredictionInputs();
        Step("predict", () =>
        {
            using var nets = Checkpoint.Load(BestWeights, depthOnly: true);
            nets.Eval();
            using var model = new TorchDisparityModel(nets, ownsNetworks: false);
            // Metric depth (x5.4) for stereo-trained runs, relative depth for mono ones, as mlda predict decides it.
            double? metric = TrainedMode.Detect(BestWeights) == "mono" ? null : DepthScaling.StereoScaleFactor;
            var predictor = new DepthPredictor(model, new DepthScaling(nets.Options.MinDepth, nets.Options.MaxDepth, metric));
            return inputs.SelectMany(i => PredictionRun.Run(predictor,
                new PredictionRequest(i.Image, Path.Combine(Out, "predict", i.Name), PredictionOutputs.All, PlyStride: 2), progress, ct).Files).ToList();
        }, ct);

        Step("export", () =>
        {
            using var nets = Checkpoint.Load(BestWeights, depthOnly: true);
            nets.Eval();
            var exported = OnnxExporter.Export(nets, OnnxDir, ExportOptions.ForMode(TrainedMode.Detect(BestWeights) ?? "mono+stereo"), progress);
            int h = nets.Options.Height, w = nets.Options.Width;
            var check = ExportVerifier.Compare(nets, OnnxDir, "real image", ExportVerifier.RealImages([inputs[0].Image], h, w), 1);
            AtomicFile.WriteAllText(ExportCheck, check.MaxAbsDiff.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
            return exported.Files.Append(ExportCheck).ToList();
        }, ct);

        Step("infer", () =>
        {
            using var model = OnnxDepthModel.Load(OnnxDir);
            var predictor = new DepthPredictor(model, model.Manifest.Scaling());
            return inputs.SelectMany(i => PredictionRun.Run(predictor,
                new PredictionRequest(i.Image, Path.Combine(Out, "infer", i.Name), PredictionOutputs.Default), progress, ct).Files).ToList();
        }, ct);

        var metrics = System.Text.Json.JsonSerializer.Deserialize<DepthMetrics>(File.ReadAllText(EvalMean))!;
        return new DemoResult(_steps, File.ReadAllText(EvalTable), metrics,
            double.Parse(File.ReadAllText(ExportCheck), System.Globalization.CultureInfo.InvariantCulture),
            new Dictionary<string, string>
            {
                ["synthetic KITTI-layout data"] = Data,
                ["depth hints"] = Hints,
                ["training run (TensorBoard events, metrics.jsonl)"] = Path.Combine(Runs, RunName),
                ["best weights"] = BestWeights,
                ["evaluation (JSON)"] = EvalJson,
                ["predictions (TorchSharp)"] = Path.Combine(Out, "predict"),
                ["ONNX model"] = OnnxDir,
                ["predictions (ONNX Runtime)"] = Path.Combine(Out, "infer"),
            });
    }

    /// <summary>A frame of the held-out synthetic drive, and frame 0 of the real KITTI sample when it is there.</summary>
    List<(string Name, string Image)> PredictionInputs()
    {
        var test = SplitFile.Read(Path.Combine(Splits, "test_files.txt"));
        var pick = test[test.Count / 2];
        var list = new List<(string, string)> { ("synthetic", KittiRawLayout.ImagePath(Data, pick.Folder, pick.Camera, pick.FrameIndex)) };
        if (options.RealSample is { } real && Directory.Exists(real))
        {
            var frame = Directory.EnumerateFiles(real, "0000000000.png", SearchOption.AllDirectories)
                .FirstOrDefault(p => p.Replace('\\', '/').Contains("/image_02/"));
            if (frame is not null) list.Add(("kitti_real", frame));
        }
        return list;
    }

    void Step(string name, Func<IReadOnlyList<string>> body, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        if (DemoStep.TryRead(Out, name) is { } done)
        {
            _say($"[{name}] already done ({done.Seconds:F0} s earlier): reused");
            _steps.Add(done with { Reused = true });
            return;
        }
        _say($"[{name}] ...");
        var clock = Stopwatch.StartNew();
        var outputs = body();
        var step = new DemoStep(name, clock.Elapsed.TotalSeconds, Reused: false, outputs);
        step.Write(Out);
        _steps.Add(step);
        _say($"[{name}] done in {step.Seconds:F1} s");
    }
}

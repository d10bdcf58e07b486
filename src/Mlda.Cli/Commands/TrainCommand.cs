using System.CommandLine;
using Mlda.Training;

namespace Mlda.Cli.Commands;

/// <summary>
/// <c>mlda train</c>: options come from the defaults (the reference's), then a JSON config (<c>--config</c>) or, with
/// <c>--resume</c>, the run's saved <c>train_options.json</c>, then the flags given here.
/// </summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var d = new TrainOptions(); // the reference's defaults: --help shows them, a config or --resume overrides them, given flags override both
        var command = new Command("train", "self-supervised training (mono, stereo, mono+stereo; depth hints)");
        var data = new Option<string?>("--data") { Description = "KITTI raw root (real or `mlda synth` output), or a scene folder (ROOT/train.txt, val.txt, ROOT/<scene>/...)" };
        var splitDir = new Option<string?>("--split-dir") { Description = "KITTI: folder with train_files.txt and val_files.txt" };
        var dataset = new Option<string?>("--dataset") { Description = "kitti or scenes (default: a scene folder when --data has train.txt, else KITTI)" };
        dataset.AcceptOnlyFromAmong("kitti", "scenes");
        var sceneIntrinsics = new Option<string?>("--intrinsics") { Description = "scene folders: fx,fy,cx,cy in pixels for scenes without cam.txt" };
        var logDir = new Option<string>("--log-dir") { Description = "where runs are written", Required = true };
        var modelName = new Option<string>("--model-name") { Description = "run name: the run lives in <log-dir>/<name>", DefaultValueFactory = _ => d.ModelName };
        var config = new Option<string?>("--config") { Description = "JSON config (camelCase keys of the train options, e.g. configs/cpu-synthetic.json)" };
        var resume = new Option<bool>("--resume") { Description = "continue <log-dir>/<name>/models/last exactly (its saved options apply)" };
        var hints = new Option<string?>("--hints") { Description = "depth hints root (`mlda hints` output)" };
        var noHints = new Option<bool>("--no-hints") { Description = "train without depth hints" };
        var mode = new Option<string>("--mode") { Description = "M (video), S (stereo) or MS (both)", DefaultValueFactory = _ => d.Mode };
        var epochs = new Option<int>("--epochs") { Description = "epochs", DefaultValueFactory = _ => d.Epochs };
        var batch = SharedOptions.BatchSize(d.BatchSize);
        var lr = new Option<double>("--learning-rate") { Description = "Adam learning rate", DefaultValueFactory = _ => d.LearningRate };
        var bestMetric = new Option<string>("--best-metric") { Description = "what best_weights is chosen by: rmse_avg (reference) or an Eigen metric such as eigen_stereo/abs_rel", DefaultValueFactory = _ => d.BestMetric };
        var warmup = new Option<int>("--warmup-steps") { Description = "raise the rate linearly over the first N steps (0: the reference)", DefaultValueFactory = _ => d.WarmupSteps };
        var poseScale = new Option<double>("--pose-learning-rate-scale") { Description = "the pose networks' learning rate as a multiple of --learning-rate (1: the reference; the scene recipe uses 10)", DefaultValueFactory = _ => d.PoseLearningRateScale };
        var step = new Option<int>("--scheduler-step-size") { Description = "epochs per tenfold rate decay", DefaultValueFactory = _ => d.SchedulerStepSize };
        var height = SharedOptions.Height(d.Height);
        var width = SharedOptions.Width(d.Width);
        var seed = new Option<long>("--seed") { Description = "random seed", DefaultValueFactory = _ => d.Seed };
        var device = SharedOptions.Device(d.Device);
        var pose = SharedOptions.PoseEncoder(d.PoseEncoder);
        var noPretrained = new Option<bool>("--no-imagenet") { Description = "random initialisation instead of ImageNet ResNet-18 weights" };
        var smooth = new Option<double>("--disparity-smoothness") { Description = "smoothness weight λ", DefaultValueFactory = _ => d.Smoothness };
        var noise = new Option<double>("--identity-noise") { Description = "tie-break noise on the identity loss (depth-hints: 1e-5)", DefaultValueFactory = _ => d.IdentityNoise };
        var workers = new Option<int>("--workers") { Description = "data loader threads", DefaultValueFactory = _ => d.Workers };
        var threads = SharedOptions.Threads("TorchSharp intra-op threads (0: its own)", d.Threads);
        var maxSteps = new Option<int>("--max-steps-per-epoch") { Description = "cut epochs short (quick runs; 0: the whole split)", DefaultValueFactory = _ => d.MaxStepsPerEpoch };
        var valEvery = new Option<int>("--validate-every") { Description = "also validate every N steps (0: after each epoch only)", DefaultValueFactory = _ => d.ValidateEvery };
        var logFreq = new Option<int>("--log-frequency") { Description = "write metrics every N steps", DefaultValueFactory = _ => d.LogFrequency };
        var initialDepth = new Option<double?>("--initial-depth") { Description = "start the disparity heads at this depth in network units (x5.4 = metres) instead of the reference's zero bias" };
        var timeLimit = new Option<double>("--time-limit") { Description = "stop after this many minutes of training, validating and saving the epoch in progress (0: no limit)", DefaultValueFactory = _ => d.TimeLimitMinutes };
        var named = SplitOption.Create("its train_files.txt and val_files.txt, instead of --split-dir");
        command.Options.Add(named);
        command.Options.Add(dataset);
        command.Options.Add(sceneIntrinsics);
        foreach (var o in new Option[] { data, splitDir, logDir, modelName, config, resume, hints, noHints, mode, epochs, batch, lr, warmup, poseScale, step, bestMetric, height, width,
                                         seed, device, pose, noPretrained, smooth, noise, workers, threads, maxSteps, valEvery, logFreq, timeLimit, initialDepth })
            command.Options.Add(o);

        command.SetAction(pr => CommandRunner.Run(ct =>
        {
            var name = pr.GetValue(modelName)!;
            var log = pr.GetValue(logDir)!;
            bool isResume = pr.GetValue(resume);
            TrainOptions o;
            if (isResume)
            {
                var saved = Path.Combine(log, name, Trainer.OptionsFile);
                o = TrainOptions.Load(saved);
            }
            else
            {
                o = pr.GetValue(config) is { } c ? TrainOptions.Load(c) : new TrainOptions();
            }
            o = o with { LogDir = log, ModelName = name };
            bool Given(Option option) => SharedOptions.Given(pr, option);
            if (pr.GetValue(data) is { } dataPath) o = o with { DataPath = dataPath };
            if (pr.GetValue(splitDir) is { } sd) o = o with { SplitDir = sd };
            if (pr.GetValue(named) is { } sn) o = o with { SplitDir = Mlda.Core.Kitti.ShippedSplits.Folder(sn) };
            if (pr.GetValue(dataset) is { } ds) o = o with { Dataset = ds };
            if (pr.GetValue(sceneIntrinsics) is { } si) o = o with { Intrinsics = si };
            if (pr.GetValue(hints) is { } h) o = o with { HintPath = h };
            if (pr.GetValue(noHints)) o = o with { HintPath = null };
            if (Given(mode)) o = o with { Mode = pr.GetValue(mode)!.ToUpperInvariant() };
            if (Given(epochs)) o = o with { Epochs = pr.GetValue(epochs) };
            if (Given(batch)) o = o with { BatchSize = pr.GetValue(batch) };
            if (Given(lr)) o = o with { LearningRate = pr.GetValue(lr) };
            if (Given(bestMetric)) o = o with { BestMetric = pr.GetValue(bestMetric)! };
            if (Given(warmup)) o = o with { WarmupSteps = pr.GetValue(warmup) };
            if (Given(poseScale)) o = o with { PoseLearningRateScale = pr.GetValue(poseScale) };
            if (Given(step)) o = o with { SchedulerStepSize = pr.GetValue(step) };
            if (Given(height)) o = o with { Height = pr.GetValue(height) };
            if (Given(width)) o = o with { Width = pr.GetValue(width) };
            if (Given(seed)) o = o with { Seed = pr.GetValue(seed) };
            if (Given(device)) o = o with { Device = pr.GetValue(device)! };
            if (Given(pose)) o = o with { PoseEncoder = SharedOptions.PoseEncoderValue(pr, pose) };
            if (pr.GetValue(noPretrained)) o = o with { ImageNetPretrained = false };
            if (Given(smooth)) o = o with { Smoothness = pr.GetValue(smooth) };
            if (Given(noise)) o = o with { IdentityNoise = pr.GetValue(noise) };
            if (Given(workers)) o = o with { Workers = pr.GetValue(workers) };
            if (Given(threads)) o = o with { Threads = pr.GetValue(threads) };
            if (Given(maxSteps)) o = o with { MaxStepsPerEpoch = pr.GetValue(maxSteps) };
            if (Given(valEvery)) o = o with { ValidateEvery = pr.GetValue(valEvery) };
            if (Given(logFreq)) o = o with { LogFrequency = pr.GetValue(logFreq) };
            if (pr.GetValue(initialDepth) is { } idp) o = o with { InitialDepth = idp };
            if (Given(timeLimit)) o = o with { TimeLimitMinutes = pr.GetValue(timeLimit) };
            SharedOptions.RequireDevice(o.Device);
            o.Validate(pr.GetValue(config) ?? "command line");

            var progress = new ConsoleProgress();
            using var trainer = new Trainer(o, isResume, progress, progress.WriteLine);
            var result = trainer.Run(ct);
            Console.WriteLine($"run: {o.RunDir}");
            Console.WriteLine($"best weights: {Path.Combine(o.ModelsDir, Trainer.BestDir)}");
            return result.Interrupted ? 130 : 0;
        }));
        return command;
    }
}

using System.CommandLine;
using Mlda.Core;
using Mlda.Networks;
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
        var command = new Command("train", "self-supervised training (mono, stereo, mono+stereo; depth hints)");
        var data = new Option<string?>("--data") { Description = "KITTI raw root (real or `mlda synth` output), or a scene folder (ROOT/train.txt, val.txt, ROOT/<scene>/...)" };
        var splitDir = new Option<string?>("--split-dir") { Description = "KITTI: folder with train_files.txt and val_files.txt" };
        var dataset = new Option<string?>("--dataset") { Description = "kitti or scenes (default: a scene folder when --data has train.txt, else KITTI)" };
        dataset.AcceptOnlyFromAmong("kitti", "scenes");
        var sceneIntrinsics = new Option<string?>("--intrinsics") { Description = "scene folders: fx,fy,cx,cy in pixels for scenes without cam.txt" };
        var logDir = new Option<string>("--log-dir") { Description = "where runs are written", Required = true };
        var modelName = new Option<string?>("--model-name") { Description = "run name: the run lives in <log-dir>/<name> (default mlda)" };
        var config = new Option<string?>("--config") { Description = "JSON config (camelCase keys of the train options, e.g. configs/cpu-synthetic.json)" };
        var resume = new Option<bool>("--resume") { Description = "continue <log-dir>/<name>/models/last exactly (its saved options apply)" };
        var hints = new Option<string?>("--hints") { Description = "depth hints root (`mlda hints` output)" };
        var noHints = new Option<bool>("--no-hints") { Description = "train without depth hints" };
        var mode = new Option<string?>("--mode") { Description = "M (video), S (stereo) or MS (both; default)" };
        var epochs = new Option<int?>("--epochs") { Description = "epochs (default 10)" };
        var batch = new Option<int?>("--batch-size") { Description = "batch size (default 2)" };
        var lr = new Option<double?>("--learning-rate") { Description = "Adam learning rate (default 1e-4)" };
        var bestMetric = new Option<string?>("--best-metric") { Description = "what best_weights is chosen by: rmse_avg (reference) or an Eigen metric such as eigen_stereo/abs_rel" };
        var warmup = new Option<int?>("--warmup-steps") { Description = "raise the rate linearly over the first N steps (default 0, the reference)" };
        var step = new Option<int?>("--scheduler-step-size") { Description = "epochs per tenfold rate decay (default 2)" };
        var height = new Option<int?>("--height") { Description = "input height, multiple of 32 (default 192)" };
        var width = new Option<int?>("--width") { Description = "input width, multiple of 32 (default 640)" };
        var seed = new Option<long?>("--seed") { Description = "random seed (default 0)" };
        var device = new Option<string?>("--device") { Description = "cpu or cuda (default cpu)" };
        var pose = new Option<string?>("--pose-encoder") { Description = "mlda (reference) or light (ResNet-18 only)" };
        var noPretrained = new Option<bool>("--no-imagenet") { Description = "random initialisation instead of ImageNet ResNet-18 weights" };
        var smooth = new Option<double?>("--disparity-smoothness") { Description = "smoothness weight λ (default 0)" };
        var noise = new Option<double?>("--identity-noise") { Description = "tie-break noise on the identity loss (default 0; depth-hints 1e-5)" };
        var workers = new Option<int?>("--workers") { Description = "data loader threads (default 2)" };
        var threads = new Option<int?>("--threads") { Description = "TorchSharp intra-op threads (default: its own)" };
        var maxSteps = new Option<int?>("--max-steps-per-epoch") { Description = "cut epochs short (quick runs)" };
        var valEvery = new Option<int?>("--validate-every") { Description = "also validate every N steps" };
        var logFreq = new Option<int?>("--log-frequency") { Description = "write metrics every N steps (default 250)" };
        var initialDepth = new Option<double?>("--initial-depth") { Description = "start the disparity heads at this depth in network units (x5.4 = metres) instead of the reference's zero bias" };
        var timeLimit = new Option<double?>("--time-limit") { Description = "stop after this many minutes of training, validating and saving the epoch in progress" };
        var benchmark = new Option<int?>("--benchmark") { Description = "time N training steps at the given size (random images unless --data/--split-dir) and exit" };
        command.Options.Add(benchmark);
        command.Options.Add(dataset);
        command.Options.Add(sceneIntrinsics);
        foreach (var o in new Option[] { data, splitDir, logDir, modelName, config, resume, hints, noHints, mode, epochs, batch, lr, warmup, step, bestMetric, height, width,
                                         seed, device, pose, noPretrained, smooth, noise, workers, threads, maxSteps, valEvery, logFreq, timeLimit, initialDepth })
            command.Options.Add(o);

        command.SetAction(pr => CommandRunner.Run(ct =>
        {
            var name = pr.GetValue(modelName) ?? "mlda";
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
            if (pr.GetValue(data) is { } d) o = o with { DataPath = d };
            if (pr.GetValue(splitDir) is { } sd) o = o with { SplitDir = sd };
            if (pr.GetValue(dataset) is { } ds) o = o with { Dataset = ds };
            if (pr.GetValue(sceneIntrinsics) is { } si) o = o with { Intrinsics = si };
            if (pr.GetValue(hints) is { } h) o = o with { HintPath = h };
            if (pr.GetValue(noHints)) o = o with { HintPath = null };
            if (pr.GetValue(mode) is { } m) o = o with { Mode = m.ToUpperInvariant() };
            if (pr.GetValue(epochs) is { } e) o = o with { Epochs = e };
            if (pr.GetValue(batch) is { } b) o = o with { BatchSize = b };
            if (pr.GetValue(lr) is { } l) o = o with { LearningRate = l };
            if (pr.GetValue(bestMetric) is { } bm) o = o with { BestMetric = bm };
            if (pr.GetValue(warmup) is { } wu) o = o with { WarmupSteps = wu };
            if (pr.GetValue(step) is { } st) o = o with { SchedulerStepSize = st };
            if (pr.GetValue(height) is { } hh) o = o with { Height = hh };
            if (pr.GetValue(width) is { } ww) o = o with { Width = ww };
            if (pr.GetValue(seed) is { } s) o = o with { Seed = s };
            if (pr.GetValue(device) is { } dv) o = o with { Device = dv };
            if (pr.GetValue(pose) is { } p)
                o = o with { PoseEncoder = p.ToLowerInvariant() switch
                {
                    "mlda" => PoseEncoderKind.Mlda,
                    "light" => PoseEncoderKind.Light,
                    _ => throw new InputException("--pose-encoder", $"must be mlda or light, got '{p}'"),
                } };
            if (pr.GetValue(noPretrained)) o = o with { ImageNetPretrained = false };
            if (pr.GetValue(smooth) is { } sm) o = o with { Smoothness = sm };
            if (pr.GetValue(noise) is { } nz) o = o with { IdentityNoise = nz };
            if (pr.GetValue(workers) is { } wk) o = o with { Workers = wk };
            if (pr.GetValue(threads) is { } th) o = o with { Threads = th };
            if (pr.GetValue(maxSteps) is { } ms) o = o with { MaxStepsPerEpoch = ms };
            if (pr.GetValue(valEvery) is { } ve) o = o with { ValidateEvery = ve };
            if (pr.GetValue(logFreq) is { } lf) o = o with { LogFrequency = lf };
            if (pr.GetValue(initialDepth) is { } idp) o = o with { InitialDepth = idp };
            if (pr.GetValue(timeLimit) is { } tl) o = o with { TimeLimitMinutes = tl };
            if (pr.GetValue(benchmark) is { } n)
            {
                if (o.Threads > 0) TorchSharp.torch.set_num_threads(o.Threads);
                ITrainingDataset? set = null;
                if (o.DataPath != "" && (o.SplitDir != "" || o.IsScenes)) set = TrainingData.Open(o, withValidation: false).Train;
                Console.WriteLine(TrainingBenchmark.Run(o.Width, o.Height, o.BatchSize, n, o.Mode, o.PoseEncoder, o.UsesHints || set is null, set, workers: o.Workers));
                return 0;
            }
            o.Validate(pr.GetValue(config) ?? "command line");

            using var trainer = new Trainer(o, isResume, new ConsoleProgress(), msg => Console.Error.WriteLine(msg));
            var result = trainer.Run(ct);
            Console.WriteLine($"run: {o.RunDir}");
            Console.WriteLine($"best weights: {Path.Combine(o.ModelsDir, Trainer.BestDir)}");
            return result.Interrupted ? 130 : 0;
        }));
        return command;
    }
}

using System.Diagnostics;
using Mlda.Checkpoints;
using Mlda.Core;
using Mlda.Core.IO;
using Mlda.Interop;
using Mlda.Losses;
using Mlda.Networks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Mlda.Training;

/// <summary>
/// Self-supervised training of MLDA-Net (reference <c>trainer.py</c> <c>train</c>): Adam over all networks, the step
/// schedule set at the start of each epoch, validation after every epoch (and every N steps), <c>best_weights</c>
/// kept by the validation metric, <c>weights_&lt;epoch&gt;</c> after every epoch, and a resumable
/// <c>models/last</c> (weights, optimiser, training state, random state) whenever the run stops, including on
/// cancellation. A non-finite loss skips its step; a run of them restores the best weights and lowers the rate.
/// </summary>
public sealed class Trainer : IDisposable
{
    public const string LastDir = "last";
    public const string BestDir = "best_weights";
    public const string OptionsFile = "train_options.json";

    readonly TrainOptions _o;
    readonly IProgress<ProgressUpdate>? _progress;
    readonly Action<string> _say;
    readonly Device _device;
    readonly ITrainingDataset _train;
    readonly ITrainingDataset? _val;
    readonly MldaNetworks _nets;
    readonly Adam _optimizer;
    readonly TrainingForward _forward;
    readonly MetricsLog _log;
    TrainingState _state;
    int _nonFiniteRun;

    public TrainOptions Options => _o;
    public MldaNetworks Networks => _nets;
    public ITrainingDataset TrainSet => _train;
    public ITrainingDataset? ValSet => _val;

    /// <summary>A run on the datasets <see cref="TrainingData.Open"/> finds for <paramref name="options"/>.</summary>
    /// <param name="options">the run's options (validated)</param>
    /// <param name="resume">continue from <c>&lt;log-dir&gt;/&lt;name&gt;/models/last</c></param>
    /// <param name="progress">steps of the epoch in progress</param>
    /// <param name="say">one-line messages for the user (console)</param>
    public Trainer(TrainOptions options, bool resume, IProgress<ProgressUpdate>? progress = null, Action<string>? say = null)
        : this(options, Open(options), resume, progress, say) { }

    static TrainingData Open(TrainOptions options)
    {
        options.Validate();
        return TrainingData.Open(options);
    }

    /// <summary>A run on <paramref name="data"/>.</summary>
    public Trainer(TrainOptions options, TrainingData data, bool resume, IProgress<ProgressUpdate>? progress = null, Action<string>? say = null)
    {
        options.Validate();
        _o = options;
        _progress = progress;
        _say = say ?? (_ => { });
        if (options.Threads > 0) set_num_threads(options.Threads);
        _device = torch.device(options.Device);

        _train = data.Train;
        _val = data.Validation;
        foreach (var warning in SkippedItems.Warnings(_train.Skipped).Concat(SkippedItems.Warnings(_val?.Skipped ?? []))) _say(warning);
        if (_train.Count < options.BatchSize)
            throw new InputException(data.TrainSource, $"{_train.Count} usable items{Skips(_train)}, fewer than one batch of {options.BatchSize}");

        var last = Path.Combine(options.ModelsDir, LastDir);
        LastCheckpoint.Clean(last);
        if (resume)
        {
            _nets = Checkpoint.Load(last, _device, depthOnly: !options.UsesTemporal);
            _state = TrainingState.Read(Path.Combine(last, TrainingState.FileName));
        }
        else
        {
            if (Directory.Exists(last))
                throw new InputException(options.RunDir, "a run already exists here: pass --resume to continue it, or choose another --model-name");
            _nets = MldaNetworks.Create(options.ToModelOptions(), options.ImageNetPretrained, options.Seed, withPose: options.UsesTemporal).To(_device);
            if (options.InitialDepth is { } depth) SetInitialDepth(_nets, depth);
            _state = new TrainingState();
        }
        manual_seed(options.Seed);
        _optimizer = CreateOptimizer(_nets, options);
        if (resume)
        {
            _optimizer.load_state_dict(Path.Combine(last, LastCheckpoint.OptimizerFile));
            var rng = Path.Combine(last, LastCheckpoint.RandomStateFile);
            if (File.Exists(rng)) set_rng_state(tensor(File.ReadAllBytes(rng)));
        }
        _forward = new TrainingForward(_nets, _train.SourceFrames, new LossOptions(options.Smoothness, options.IdentityNoise), options.NumScales);
        Directory.CreateDirectory(options.RunDir);
        AtomicFile.WriteAllText(Path.Combine(options.RunDir, OptionsFile), options.ToJson());
        _log = new MetricsLog(options.RunDir);
    }

    int StepsPerEpoch(BatchLoader loader) =>
        _o.MaxStepsPerEpoch > 0 ? Math.Min(_o.MaxStepsPerEpoch, loader.BatchesPerEpoch) : loader.BatchesPerEpoch;

    public TrainingResult Run(CancellationToken ct = default)
    {
        var loader = new BatchLoader(_train, _o.BatchSize, shuffle: true, dropLast: true, _o.Seed, _o.Workers, _o.Prefetch);
        int stepsPerEpoch = StepsPerEpoch(loader);
        _say($"training on {_train.Count} items{Skips(_train)}, " +
             $"validating on {_val?.Count ?? 0}; mode {_o.Mode}{(_o.UsesHints ? " + hints" : "")}, {_o.Width}x{_o.Height}, " +
             $"{stepsPerEpoch} steps per epoch, {_o.Epochs} epochs" +
             (_o.PoseLearningRateScale != 1 && _o.UsesTemporal ? $", pose networks at {_o.PoseLearningRateScale:G3}x the learning rate" : "") +
             (_state.GlobalStep > 0 ? $"; resuming at epoch {_state.Epoch + 1}, step {_state.GlobalStep}" : ""));
        var photometricHistory = new List<double>();
        ValidationResult? lastVal = null;
        var clock = Stopwatch.StartNew();
        double trainSecondsAtStart = _state.TrainSeconds;

        for (int epoch = _state.Epoch; epoch < _o.Epochs; epoch++)
        {
            double lr = _o.LearningRateAt(epoch, _state.GlobalStep) * _state.LearningRateFactor;
            SetLearningRate(lr);
            _nets.Train();
            var epochClock = Stopwatch.StartNew();
            int samplesThisEpoch = 0;
            int startBatch = _state.Epoch == epoch ? _state.BatchInEpoch : 0;
            int batchIndex = startBatch;
            bool timeUp = false;
            foreach (var cpuBatch in loader.Epoch(epoch, startBatch, ct))
            {
                using var batchOwner = cpuBatch;
                if (batchIndex >= stepsPerEpoch) break;
                if (ct.IsCancellationRequested) break;
                if (_o.TimeLimitMinutes > 0 && trainSecondsAtStart + clock.Elapsed.TotalSeconds >= _o.TimeLimitMinutes * 60)
                {
                    timeUp = true;
                    break;
                }
                using (new NoGcRegion()) // TorchSharp temporaries must outlive their native calls (see NoGcRegion)
                using (NewDisposeScope())
                {
                    lr = _o.LearningRateAt(epoch, _state.GlobalStep) * _state.LearningRateFactor;  // moves only in the warm-up
                    if (Step(cpuBatch, lr) is { } step)
                    {
                        photometricHistory.Add(step.Photometric);
                        samplesThisEpoch += cpuBatch.Size;
                        double rate = samplesThisEpoch / Math.Max(1e-9, epochClock.Elapsed.TotalSeconds);
                        if (_state.GlobalStep % Math.Max(1, _o.LogFrequency) == 0) Log(step, epoch, lr, rate, loader.WaitSeconds);
                        _progress?.Report(new ProgressUpdate($"epoch {epoch + 1}/{_o.Epochs}", batchIndex + 1, stepsPerEpoch,
                            $"step {_state.GlobalStep + 1} | loss {step.Loss:F4} | lr {lr:G3} | {rate:F2} samples/s"));
                    }
                }
                batchIndex++;
                _state = _state with
                {
                    Epoch = epoch, BatchInEpoch = batchIndex, GlobalStep = _state.GlobalStep + 1,
                    TrainSeconds = trainSecondsAtStart + clock.Elapsed.TotalSeconds,
                };
                if (_o.ValidateEvery > 0 && _state.GlobalStep % _o.ValidateEvery == 0 && batchIndex < stepsPerEpoch)
                    lastVal = ValidateAndKeepBest(epoch) ?? lastVal;
            }

            if (ct.IsCancellationRequested)
            {
                SaveLast();
                _say($"interrupted: saved the run at epoch {_state.Epoch + 1}, step {_state.GlobalStep} to {Path.Combine(_o.ModelsDir, LastDir)}; continue with --resume");
                return new TrainingResult(_state, true, lastVal, _train.Count, _train.Skipped, photometricHistory);
            }

            if (timeUp && batchIndex == 0)
            {
                // The limit fell on an epoch boundary: the previous epoch is already validated and saved.
                _say($"time limit of {_o.TimeLimitMinutes:G} min reached before epoch {epoch + 1}: stopped");
                break;
            }
            lastVal = ValidateAndKeepBest(epoch) ?? lastVal;
            _state = _state with { Epoch = epoch + 1, BatchInEpoch = 0, TrainSeconds = trainSecondsAtStart + clock.Elapsed.TotalSeconds };
            if ((epoch + 1) % Math.Max(1, _o.SaveFrequency) == 0 || epoch + 1 == _o.Epochs)
                Checkpoint.Save(Path.Combine(_o.ModelsDir, $"weights_{epoch}"), _nets);
            SaveLast();
            if (timeUp)
            {
                _say($"time limit of {_o.TimeLimitMinutes:G} min reached during epoch {epoch + 1}: stopped after validating and saving it");
                break;
            }
        }
        _state = _state with { Finished = true };
        SaveLast();
        _say($"done: {_state.GlobalStep} steps in {ConsoleTime(_state.TrainSeconds)}; best {_state.BestMetricName} {_state.BestMetric:F4} (epoch {_state.BestEpoch + 1})" +
             (_state.NonFiniteSkipped > 0 ? $"; {_state.NonFiniteSkipped} non-finite steps skipped" : ""));
        return new TrainingResult(_state, false, lastVal, _train.Count, _train.Skipped, photometricHistory);
    }

    /// <summary>What one optimisation step leaves for logging: the forward pass's output and its loss values.</summary>
    sealed record StepOutput(TrainingForward.Output Output, double Loss, double Photometric);

    /// <summary>
    /// One optimisation step (<c>trainer.py run_epoch</c>, <c>process_batch</c>): forward pass and loss, zero_grad,
    /// backward, optimiser step. A non-finite loss skips the step (null); a run of them is the divergence guard's.
    /// </summary>
    StepOutput? Step(TrainingBatch cpuBatch, double lr)
    {
        SetLearningRate(lr);
        var output = _forward.Run(cpuBatch.To(_device));
        var loss = output.Terms.Total;
        double lossValue = loss.item<float>();
        _optimizer.zero_grad();
        if (!GuardDivergence(lossValue)) return null;
        loss.backward();
        _optimizer.step();
        return new StepOutput(output, lossValue, output.Terms.Photometric.item<float>());
    }

    /// <summary>
    /// False for a non-finite loss, whose step is skipped; <see cref="TrainOptions.NonFiniteLimit"/> of them in a row
    /// restore the best weights and lower the rate tenfold (from the next step on).
    /// </summary>
    bool GuardDivergence(double loss)
    {
        if (double.IsFinite(loss))
        {
            _nonFiniteRun = 0;
            return true;
        }
        _nonFiniteRun++;
        _state = _state with { NonFiniteSkipped = _state.NonFiniteSkipped + 1 };
        _log.Message("warning", _state.GlobalStep, $"non-finite loss at step {_state.GlobalStep}: step skipped");
        if (_nonFiniteRun >= _o.NonFiniteLimit)
        {
            RecoverFromDivergence(_nonFiniteRun);
            _nonFiniteRun = 0;
        }
        return false;
    }

    /// <summary><c>trainer.py log</c>: the step's losses, rate and speed to metrics.jsonl and TensorBoard, and its disparity.</summary>
    void Log(StepOutput step, int epoch, double lr, double samplesPerSecond, double dataWaitSeconds)
    {
        var terms = step.Output.Terms;
        var values = new Dictionary<string, double>
        {
            ["loss"] = step.Loss, ["photometric"] = step.Photometric, ["lr"] = lr, ["samples_per_s"] = samplesPerSecond,
            ["data_wait_s"] = dataWaitSeconds,
        };
        for (int s = 0; s < terms.Reprojection.Count; s++) values[$"reprojection/{s}"] = terms.Reprojection[s].item<float>();
        for (int s = 0; s < terms.HintProxy.Count; s++) values[$"hint/{s}"] = terms.HintProxy[s].item<float>();
        _log.Write("train", _state.GlobalStep, values, epoch);
        _log.Image("train", "disp_0", step.Output.Disparities[0][0], _state.GlobalStep);
    }

    static string Skips(ITrainingDataset set) => set.Skipped.Count > 0 ? $" ({SkippedItems.Summary(set.Skipped)})" : "";

    static string ConsoleTime(double s) => TimeSpan.FromSeconds(s).ToString(@"h\:mm\:ss");

    /// <summary>
    /// Adam over all networks (<c>trainer.py</c>); with a pose learning-rate scale other than 1 the pose networks form a
    /// second parameter group (one group otherwise, so runs saved before the option existed resume as they were).
    /// </summary>
    public static Adam CreateOptimizer(MldaNetworks nets, TrainOptions o)
    {
        if (o.PoseLearningRateScale == 1 || !o.UsesTemporal) return optim.Adam(nets.TrainableParameters(), o.LearningRate);
        var depth = nets.Encoder.parameters().Concat(nets.Depth.parameters()).ToList();
        var pose = nets.PoseEncoder.Module.parameters().Concat(nets.Pose.parameters()).ToList();
        return optim.Adam([new Adam.ParamGroup(depth, o.LearningRate), new Adam.ParamGroup(pose, o.LearningRate * o.PoseLearningRateScale)], o.LearningRate);
    }

    /// <summary>Sets the depth networks' rate to <paramref name="lr"/> and the pose group's, where there is one, to its multiple.</summary>
    void SetLearningRate(double lr)
    {
        var groups = _optimizer.ParamGroups.ToList();
        for (int i = 0; i < groups.Count; i++) groups[i].LearningRate = i == 0 ? lr : lr * _o.PoseLearningRateScale;
    }

    void RecoverFromDivergence(int run)
    {
        var best = Path.Combine(_o.ModelsDir, BestDir);
        string restored = "no best weights yet, kept the current ones";
        if (Directory.Exists(best))
        {
            using var bestNets = Checkpoint.Load(best, _device, depthOnly: !_o.UsesTemporal);
            CopyWeights(bestNets, _nets);
            restored = "restored best_weights";
        }
        _state = _state with { LearningRateFactor = _state.LearningRateFactor * 0.1 };
        var message = $"{run} non-finite losses in a row: {restored} and lowered the learning rate tenfold (factor {_state.LearningRateFactor:G3})";
        _log.Message("warning", _state.GlobalStep, message);
        _say(message);
    }

    /// <summary>
    /// Starts every disparity head at <paramref name="depth"/>: weights zero and σ(bias) the scaled disparity of that
    /// depth. Measured at initialisation, the reference init's head outputs are far from zero and the sigmoid
    /// saturates (an untrained 64x128 network predicts the minimum depth almost everywhere), so training first has to
    /// climb out of a flat region; zero weights with the bias at a plausible depth start where gradients flow.
    /// </summary>
    public static void SetInitialDepth(MldaNetworks nets, double depth)
    {
        var o = nets.Options;
        if (!(depth > o.MinDepth && depth < o.MaxDepth)) throw new InputException("initialDepth", $"must lie between {o.MinDepth} and {o.MaxDepth}, got {depth}");
        double s = (1 / depth - 1 / o.MaxDepth) / (1 / o.MinDepth - 1 / o.MaxDepth);
        double logit = Math.Log(s / (1 - s));
        var heads = o.EffectiveScales.Select(k => $"decoder.{DepthDecoder.DispconvIndex(k)}.conv.").ToArray();
        using var _ = no_grad();
        int found = 0;
        foreach (var (name, p) in nets.Depth.named_parameters())
        {
            if (!heads.Any(h => name.StartsWith(h, StringComparison.Ordinal))) continue;
            if (name.EndsWith(".bias", StringComparison.Ordinal)) p.fill_(logit); else p.zero_();
            found++;
        }
        if (found != 2 * heads.Length) throw new InvalidOperationException($"found {found} of {2 * heads.Length} disparity head tensors");
    }

    static void CopyWeights(MldaNetworks from, MldaNetworks to)
    {
        using var _ = no_grad();
        var source = from.Named().ToDictionary(n => n.Name, n => n.Module.state_dict());
        foreach (var (name, module) in to.Named())
            foreach (var (key, value) in module.state_dict())
                value.copy_(source[name][key]);
    }

    ValidationResult? ValidateAndKeepBest(int epoch)
    {
        if (_val is null) return null;
        var result = Validation.Run(_val, _nets, _forward, _o.BatchSize, _device, _o.Workers);
        _nets.Train();
        var values = new Dictionary<string, double> { ["loss"] = result.Loss, ["photometric"] = result.Photometric };
        if (result.RmseAvg is { } ra) { values["rmse_avg"] = ra; values["rmse_min"] = result.RmseMin!.Value; values["rmse_max"] = result.RmseMax!.Value; }
        if (result.Eigen is not null) foreach (var (k, v) in result.Eigen) values[k] = v;
        _log.Write("val", _state.GlobalStep, values, epoch);
        var (name, metric) = result.SelectionBy(_o.BestMetric);
        var shown = new[] { "loss", "photometric", "rmse_avg", "eigen_mono/abs_rel", "eigen_stereo/abs_rel", "eigen_mono/a1" };
        var summary = string.Join(", ", shown.Where(values.ContainsKey).Select(k => $"{k} {values[k]:F4}"));
        if (metric < _state.BestMetric)
        {
            _state = _state with { BestMetric = metric, BestMetricName = name, BestEpoch = epoch };
            Checkpoint.Save(Path.Combine(_o.ModelsDir, BestDir), _nets);
            _say($"val (epoch {epoch + 1}, step {_state.GlobalStep}): {summary}: new best {name}, saved {BestDir}");
        }
        else
        {
            _say($"val (epoch {epoch + 1}, step {_state.GlobalStep}): {summary}");
        }
        return result;
    }

    /// <summary>Replaces models/last: weights, optimiser state, random state and training state together.</summary>
    void SaveLast() => LastCheckpoint.Save(Path.Combine(_o.ModelsDir, LastDir), _nets, _optimizer, _state);

    public void Dispose()
    {
        _log.Dispose();
        _forward.Dispose();
        _optimizer.Dispose();
        _nets.Dispose();
    }
}

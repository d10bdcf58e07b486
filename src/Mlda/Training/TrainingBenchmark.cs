using System.Diagnostics;
using Mlda.Core.Imaging;
using Mlda.Interop;
using Mlda.Losses;
using Mlda.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace Mlda.Training;

/// <summary>Where the time of a training step goes, in seconds per step (means over the timed steps).</summary>
public sealed record TrainingBenchmarkResult(
    int Width, int Height, int BatchSize, string Mode, PoseEncoderKind PoseEncoder, int Threads, int Steps,
    double Data, double DataWait, double Encoder, double Depth, double Pose, double WarpAndLoss, double Backward, double OptimiserStep)
{
    public double Forward => Encoder + Depth + Pose + WarpAndLoss;
    public double Step => Forward + Backward + OptimiserStep;
    /// <summary>Model throughput: what training reaches when data never waits.</summary>
    public double SamplesPerSecond => BatchSize / Step;

    public override string ToString() =>
        $"{Width}x{Height} batch {BatchSize} {Mode} pose {PoseEncoder} threads {Threads}: {SamplesPerSecond:F2} samples/s, step {Step:F3} s = " +
        $"forward {Forward:F3} (encoder {Encoder:F3}, depth {Depth:F3}, pose {Pose:F3}, warp+loss {WarpAndLoss:F3}) + backward {Backward:F3} + " +
        $"optimiser {OptimiserStep:F3}; data {Data:F3} s/batch on a worker (model waited {DataWait:F3} s/step)";
}

/// <summary>
/// Times training steps at a given size: data preparation (on the loader's worker threads, and how long the model
/// waited for it), the forward pass split into its parts, the backward pass and the optimiser step. Without a
/// dataset the batches are random images (the model's cost does not depend on the pixels).
/// </summary>
public static class TrainingBenchmark
{
    public static TrainingBenchmarkResult Run(int width, int height, int batchSize, int steps, string mode = "MS",
        PoseEncoderKind poseEncoder = PoseEncoderKind.Mlda, bool hints = true, ITrainingDataset? data = null, int warmup = 1, int workers = 2)
    {
        var options = new ModelOptions(height, width, poseEncoder);
        bool temporal = mode.Contains('M'), stereo = mode.Contains('S');
        using var nets = MldaNetworks.Create(options, imageNetPretrained: false, seed: 0, withPose: temporal);
        var sources = new List<SourceFrame>();
        if (temporal) { sources.Add(SourceFrame.Temporal(-1)); sources.Add(SourceFrame.Temporal(1)); }
        if (stereo) sources.Add(SourceFrame.Stereo);
        using var forward = new TrainingForward(nets, sources, new LossOptions(), 4);
        using var optimiser = optim.Adam(nets.TrainableParameters(), 1e-4);
        nets.Train();

        IEnumerator<TrainingBatch>? loaded = null;
        BatchLoader? loader = null;
        if (data is not null)
        {
            loader = new BatchLoader(data, batchSize, shuffle: true, dropLast: true, seed: 0, workers);
            loaded = Enumerable.Range(0, 1000).SelectMany(e => loader.Epoch(e)).GetEnumerator();
        }
        double data_ = 0, wait = 0, enc = 0, dep = 0, pose = 0, warp = 0, back = 0, step = 0;
        var clock = new Stopwatch();
        double Lap(Tensor? result)
        {
            if (result is not null && result.device_type != DeviceType.CPU) result.sum().item<float>();
            double t = clock.Elapsed.TotalSeconds;
            clock.Restart();
            return t;
        }
        for (int i = 0; i < warmup + steps; i++)
        {
            bool timed = i >= warmup;
            clock.Restart();
            TrainingBatch batch;
            if (loaded is not null)
            {
                double before = loader!.WaitSeconds;
                loaded.MoveNext();
                batch = loaded.Current;
                if (timed) { wait += loader.WaitSeconds - before; data_ += batch.PrepareSeconds; }
            }
            else
            {
                batch = RandomBatch(width, height, batchSize, sources.Count, hints && stereo);
            }
            using var owner = batch;
            using var noGc = new NoGcRegion(); // TorchSharp temporaries must outlive their native calls
            using var scope = NewDisposeScope();
            // The stages of TrainingForward.Run, each timed from here (a device would run asynchronously: each
            // lap waits for its result).
            clock.Restart();
            var features = forward.Encode(batch);
            double e = Lap(features[^1]);
            var disps = forward.PredictDisparities(features);
            double d = Lap(disps[0]);
            var transforms = forward.PredictPoses(batch);
            double p = transforms.Length > 0 ? Lap(transforms[^1]) : Lap(null);
            var output = forward.Losses(batch, disps, transforms);
            double w = Lap(output.Terms.Total);
            optimiser.zero_grad();
            output.Terms.Total.backward();
            double b = Lap(null);
            optimiser.step();
            double s = Lap(null);
            if (!timed) continue;
            enc += e; dep += d; pose += p; warp += w; back += b; step += s;
        }
        loaded?.Dispose();
        return new TrainingBenchmarkResult(width, height, batchSize, mode, poseEncoder, get_num_threads(), steps,
            data_ / steps, wait / steps, enc / steps, dep / steps, pose / steps, warp / steps, back / steps, step / steps);
    }

    static TrainingBatch RandomBatch(int w, int h, int b, int sources, bool hints)
    {
        var rng = new Random(1);
        float[] Img(int ww, int hh) => Enumerable.Range(0, 3 * ww * hh).Select(_ => (float)rng.NextDouble()).ToArray();
        var samples = Enumerable.Range(0, b).Select(i => new TrainingSample
        {
            Target = Img(w, h), TargetAugmented = Img(w, h),
            TargetScales = Enumerable.Range(1, 3).Select(s => Img(w >> s, h >> s)).ToArray(),
            Sources = Enumerable.Range(0, sources).Select(_ => Img(w, h)).ToArray(),
            SourcesAugmented = Enumerable.Range(0, sources).Select(_ => Img(w, h)).ToArray(),
            K = CameraIntrinsics.KittiMatrix4(w, h),
            Hint = hints ? Enumerable.Range(0, w * h).Select(_ => 1f + 10 * (float)rng.NextDouble()).ToArray() : null,
            StereoShift = -0.1f, Index = i,
        }).ToList();
        return TrainingBatch.Collate(samples, h, w);
    }
}

using System.Diagnostics;
using Mlda.Core;
using Mlda.Interop;
using TorchSharp;
using static TorchSharp.torch;

namespace Mlda.Networks;

/// <summary>
/// Median wall-clock seconds at one size: inference (encoder + depth, eval mode, no gradient), a training forward
/// (encoder + depth on the target, pose encoder + pose on the two temporal pairs, train mode) and the same with
/// the backward pass. The training figures leave out warping and the photometric loss (the trainer's own cost).
/// </summary>
public sealed record NetworkTiming(
    int Width, int Height, int Batch, PoseEncoderKind PoseEncoder, string Device, int Threads, int Repeats,
    double InferenceForwardSeconds, double TrainingForwardSeconds, double TrainingForwardBackwardSeconds);

public static class NetworkBenchmark
{
    /// <summary>Times the networks of <paramref name="options"/>: one warm-up, then the median of <paramref name="repeats"/> runs.</summary>
    public static NetworkTiming Measure(ModelOptions options, int batch = 2, int repeats = 3, Device? device = null,
        IProgress<ProgressUpdate>? progress = null, CancellationToken cancellationToken = default)
    {
        if (batch < 1 || repeats < 1) throw new ArgumentException("batch and repeats must be positive");
        device ??= CPU;
        using var noGc = new NoGcRegion(); // TorchSharp temporaries must outlive their native calls
        using var nets = MldaNetworks.Create(options, imageNetPretrained: false, seed: 0).To(device);
        var gen = new Generator(0);
        using var target = rand(batch, 3, options.Height, options.Width, generator: gen).to(device);
        using var previous = rand(batch, 3, options.Height, options.Width, generator: gen).to(device);
        using var next = rand(batch, 3, options.Height, options.Width, generator: gen).to(device);
        var stage = $"bench {options.Width}x{options.Height} batch {batch}";
        var total = 3L * (repeats + 1);
        var done = 0L;

        double Time(Action run)
        {
            var seconds = new List<double>();
            for (var i = 0; i <= repeats; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var clock = Stopwatch.StartNew();
                run();
                if (device.type == DeviceType.CUDA) cuda.synchronize();
                if (i > 0) seconds.Add(clock.Elapsed.TotalSeconds);   // run 0 warms up
                progress?.Report(new ProgressUpdate(stage, ++done, total));
            }
            seconds.Sort();
            return seconds[seconds.Count / 2];
        }

        Tensor TrainingForward()
        {
            var disps = nets.Depth.call(nets.Encoder.call(target));
            var loss = disps.Select((d, s) => d.mean() / (1 << s)).Aggregate((a, b) => a + b);
            foreach (var pair in new[] { cat([previous, target], 1), cat([target, next], 1) })
            {
                var (axisAngle, translation) = nets.Pose.call(nets.PoseEncoder.ForwardLastLevel(pair));
                loss = loss + axisAngle[.., 0].abs().sum() + translation[.., 0].abs().sum();
            }
            return loss;
        }

        nets.Eval();
        var inference = Time(() =>
        {
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            nets.Depth.call(nets.Encoder.call(target));
        });
        nets.Train();
        var forward = Time(() =>
        {
            using var scope = NewDisposeScope();
            TrainingForward();
        });
        var parameters = nets.TrainableParameters().ToList();
        var step = Time(() =>
        {
            using var scope = NewDisposeScope();
            TrainingForward().backward();
            foreach (var p in parameters) p.grad?.zero_();
        });
        return new NetworkTiming(options.Width, options.Height, batch, options.PoseEncoder, device.ToString(), get_num_threads(),
            repeats, inference, forward, step);
    }
}

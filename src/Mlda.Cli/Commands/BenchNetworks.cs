using System.CommandLine;
using System.Globalization;
using Mlda.Core;
using Mlda.Networks;

namespace Mlda.Cli.Commands;

/// <summary><c>mlda bench networks</c>: the MLDA networks' inference, training forward and forward+backward times per size.</summary>
public static class BenchNetworks
{
    public static Command Create()
    {
        var sizes = new Option<string>("--sizes") { Description = "comma-separated WxH sizes", DefaultValueFactory = _ => "640x192,320x96" };
        var batch = SharedOptions.BatchSize(2);
        var repeats = new Option<int>("--repeats") { Description = "timed runs per figure (median reported), after one warm-up", DefaultValueFactory = _ => 3 };
        var threads = SharedOptions.Threads("TorchSharp intra-op threads (0: its default, one per core). On a shared, oversubscribed machine 1 is often much faster: OpenMP workers spin-wait for each other");
        var poseEncoder = SharedOptions.PoseEncoder(new ModelOptions().PoseEncoder);
        var command = new Command("networks", "time the MLDA networks: inference, training forward, training forward+backward");
        foreach (var o in new Option[] { sizes, batch, repeats, threads, poseEncoder }) command.Options.Add(o);
        command.SetAction(pr => CommandRunner.Run(ct =>
        {
            var kind = SharedOptions.PoseEncoderValue(pr, poseEncoder);
            var list = new List<ModelOptions>();
            foreach (var s in pr.GetValue(sizes)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var parts = s.Split('x');
                if (parts.Length != 2 || !int.TryParse(parts[0], out var w) || !int.TryParse(parts[1], out var h))
                    throw new InputException(null, $"--sizes: '{s}' is not WxH");
                list.Add(SharedOptions.ValidModelOptions(new ModelOptions(h, w, kind)));
            }
            if (pr.GetValue(threads) > 0) TorchSharp.torch.set_num_threads(pr.GetValue(threads));
            var inv = CultureInfo.InvariantCulture;
            var progress = new ConsoleProgress();
            Console.WriteLine($"{"size",-10}{"batch",6}{"inference s",13}{"train fwd s",13}{"train fwd+bwd s",17}  device, threads");
            foreach (var options in list)
            {
                var t = NetworkBenchmark.Measure(options, pr.GetValue(batch), pr.GetValue(repeats), progress: progress, cancellationToken: ct);
                Console.WriteLine($"{$"{t.Width}x{t.Height}",-10}{t.Batch,6}{t.InferenceForwardSeconds.ToString("F3", inv),13}{t.TrainingForwardSeconds.ToString("F3", inv),13}{t.TrainingForwardBackwardSeconds.ToString("F3", inv),17}  {t.Device}, {t.Threads} threads, pose encoder {t.PoseEncoder.ToString().ToLowerInvariant()}");
            }
            return 0;
        }));
        return command;
    }
}

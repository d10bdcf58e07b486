using System.CommandLine;
using System.Globalization;
using Mlda.Core;
using Mlda.Networks;

namespace Mlda.Cli.Commands;

public static class BenchCommand
{
    public static Command Create()
    {
        // Temporary: only the network benchmark (--networks) lives here until the full bench command is written.
        var networks = new Option<bool>("--networks") { Description = "time the MLDA networks: inference, training forward, training forward+backward" };
        var sizes = new Option<string>("--sizes") { Description = "comma-separated WxH sizes", DefaultValueFactory = _ => "640x192,320x96" };
        var batch = new Option<int>("--batch") { Description = "batch size", DefaultValueFactory = _ => 2 };
        var repeats = new Option<int>("--repeats") { Description = "timed runs per figure (median reported), after one warm-up", DefaultValueFactory = _ => 3 };
        var threads = new Option<int>("--threads") { Description = "intra-op threads for TorchSharp (0: its default, one per core). On a shared, oversubscribed machine 1 is often much faster: OpenMP workers spin-wait for each other", DefaultValueFactory = _ => 0 };
        var poseEncoder = new Option<string>("--pose-encoder") { Description = "mlda (reference) or light", DefaultValueFactory = _ => "mlda" };
        poseEncoder.AcceptOnlyFromAmong("mlda", "light");
        var command = new Command("bench", "latency and throughput benchmarks");
        command.Subcommands.Add(BenchSynth.Create()); // `mlda bench synth`: the synthetic renderer
        foreach (var o in new Option[] { networks, sizes, batch, repeats, threads, poseEncoder }) command.Options.Add(o);
        command.SetAction(pr => CommandRunner.Run(ct =>
        {
            if (!pr.GetValue(networks))
            {
                Console.Error.WriteLine("mlda bench: only --networks is implemented yet");
                return 1;
            }
            var kind = pr.GetValue(poseEncoder) == "light" ? PoseEncoderKind.Light : PoseEncoderKind.Mlda;
            var list = new List<ModelOptions>();
            foreach (var s in pr.GetValue(sizes)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var parts = s.Split('x');
                if (parts.Length != 2 || !int.TryParse(parts[0], out var w) || !int.TryParse(parts[1], out var h))
                    throw new InputException(null, $"--sizes: '{s}' is not WxH");
                var options = new ModelOptions(h, w, kind);
                try { options.Validate(); }
                catch (ArgumentException e) { throw new InputException(null, $"--sizes: {e.Message}", inner: e); }
                list.Add(options);
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

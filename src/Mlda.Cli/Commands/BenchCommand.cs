using System.CommandLine;
using System.Globalization;
using Mlda.Core;
using Mlda.Checkpoints;
using Mlda.Export;
using Mlda.Networks;
using Mlda.Prediction;
using Mlda.Runtime;

namespace Mlda.Cli.Commands;

public static class BenchCommand
{
    public static Command Create()
    {
        var weights = new Option<string?>("--weights") { Description = "model folder to time (default: random initialisation at --height x --width)" };
        var height = new Option<int>("--height") { Description = "input height without --weights", DefaultValueFactory = _ => 192 };
        var width = new Option<int>("--width") { Description = "input width without --weights", DefaultValueFactory = _ => 640 };
        var runs = new Option<int>("--runs") { Description = "timed batch-1 runs per engine (median reported)", DefaultValueFactory = _ => 20 };
        var throughputBatch = new Option<int>("--throughput-batch") { Description = "batch size for the throughput figure", DefaultValueFactory = _ => 8 };
        var ortThreads = new Option<int>("--ort-threads") { Description = "ONNX Runtime intra-op threads (0: one per physical core)", DefaultValueFactory = _ => 0 };
        var networks = new Option<bool>("--networks") { Description = "time the MLDA networks: inference, training forward, training forward+backward" };
        var sizes = new Option<string>("--sizes") { Description = "comma-separated WxH sizes", DefaultValueFactory = _ => "640x192,320x96" };
        var batch = new Option<int>("--batch") { Description = "batch size", DefaultValueFactory = _ => 2 };
        var repeats = new Option<int>("--repeats") { Description = "timed runs per figure (median reported), after one warm-up", DefaultValueFactory = _ => 3 };
        var threads = new Option<int>("--threads") { Description = "intra-op threads for TorchSharp (0: its default, one per core). On a shared, oversubscribed machine 1 is often much faster: OpenMP workers spin-wait for each other", DefaultValueFactory = _ => 0 };
        var poseEncoder = new Option<string>("--pose-encoder") { Description = "mlda (reference) or light", DefaultValueFactory = _ => "mlda" };
        poseEncoder.AcceptOnlyFromAmong("mlda", "light");
        var int8 = new Option<bool>("--int8") { Description = "time ONNX Runtime fp32 against the calibrated int8 graph (needs --calibration)" };
        var calibration = new Option<string?>("--calibration") { Description = "images for the int8 calibration (with --int8)" };
        var calibrationCount = new Option<int>("--calibration-count") { Description = "use the first N calibration images (default 64)", DefaultValueFactory = _ => 64 };
        var command = new Command("bench", "latency and throughput benchmarks");
        foreach (var o in new Option[] { int8, calibration, calibrationCount }) command.Options.Add(o);
        command.Subcommands.Add(BenchSynth.Create()); // `mlda bench synth`: the synthetic renderer
        foreach (var o in new Option[] { weights, height, width, runs, throughputBatch, ortThreads, networks, sizes, batch, repeats, threads, poseEncoder }) command.Options.Add(o);
        command.SetAction(pr => CommandRunner.Run(ct =>
        {
            Int8ExportOptions? int8Options = pr.GetValue(int8)
                ? new Int8ExportOptions(pr.GetValue(calibration) ?? throw new InputException(null, "--int8 needs --calibration IMAGES"), pr.GetValue(calibrationCount))
                : null;
            if (!pr.GetValue(networks)) return Deployment(pr, weights, height, width, runs, throughputBatch, ortThreads, threads, int8Options, ct);
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

    /// <summary>TorchSharp eager against ONNX Runtime: latency, throughput, memory, GFLOP/s; the ratio last.</summary>
    static int Deployment(ParseResult pr, Option<string?> weights, Option<int> height, Option<int> width, Option<int> runs, Option<int> throughputBatch,
        Option<int> ortThreads, Option<int> threads, Int8ExportOptions? int8, CancellationToken ct)
    {
        int8?.Files();   // a calibration folder without images fails before the model loads
        if (pr.GetValue(runs) < 1 || pr.GetValue(throughputBatch) < 1) throw new InputException(null, "--runs and --throughput-batch must be at least 1");
        if (pr.GetValue(threads) > 0) TorchSharp.torch.set_num_threads(pr.GetValue(threads));
        MldaNetworks nets;
        string source;
        if (pr.GetValue(weights) is string dir)
        {
            nets = Checkpoint.Load(dir, depthOnly: true);
            source = dir;
        }
        else
        {
            var options = new ModelOptions(pr.GetValue(height), pr.GetValue(width));
            try { options.Validate(); }
            catch (ArgumentException e) { throw new InputException(null, e.Message, inner: e); }
            nets = MldaNetworks.Create(options, imageNetPretrained: false, seed: 0, withPose: false);
            source = "random initialisation";
        }
        using (nets)
        {
            if (int8 is not null) return Precision(nets, source, int8, pr.GetValue(runs), pr.GetValue(throughputBatch), pr.GetValue(ortThreads), ct);
            var r = InferenceBenchmark.Run(nets, pr.GetValue(runs), pr.GetValue(throughputBatch), 3,
                new RuntimeOptions(IntraOpThreads: pr.GetValue(ortThreads)), new ConsoleProgress(), ct);
            var inv = CultureInfo.InvariantCulture;
            Console.WriteLine($"MLDA-Net encoder + depth decoder at {r.Width}x{r.Height} ({source}), {2.0 * r.MacsPerImage / 1e9:F1} GFLOP per image (2 x MACs), " +
                              $"{Environment.ProcessorCount} logical cores, TorchSharp {r.TorchThreads} threads, ONNX Runtime {(pr.GetValue(ortThreads) == 0 ? "default" : pr.GetValue(ortThreads).ToString(inv))} threads");
            Console.WriteLine($"{"engine",-18}{"latency b1 median s",21}{"min s",9}{$"throughput b{r.Torch.ThroughputBatch} img/s",22}{"peak RSS MB",13}{"GFLOP/s",10}");
            foreach (var t in new[] { r.Torch, r.Onnx })
                Console.WriteLine($"{t.Engine,-18}{t.LatencyMedianSeconds.ToString("F4", inv),21}{t.LatencyMinSeconds.ToString("F4", inv),9}{t.ThroughputImagesPerSecond.ToString("F2", inv),22}{t.PeakResidentMegabytes.ToString("F0", inv),13}{t.GflopsPerSecond.ToString("F1", inv),10}");
            Console.WriteLine($"latency ratio ONNX Runtime / TorchSharp eager (batch 1, median): {r.LatencyRatio.ToString("F2", inv)}");
        }
        return 0;
    }

    /// <summary>ONNX Runtime fp32 against int8; the last line is the ratio.</summary>
    static int Precision(MldaNetworks nets, string source, Int8ExportOptions int8, int runs, int throughputBatch, int ortThreads, CancellationToken ct)
    {
        var r = InferenceBenchmark.RunInt8(nets, int8, runs, throughputBatch, 3, new RuntimeOptions(IntraOpThreads: ortThreads), new ConsoleProgress(), ct);
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine($"MLDA-Net at {r.Width}x{r.Height} ({source}), {2.0 * r.MacsPerImage / 1e9:F1} GFLOP per image, int8 calibrated on {r.CalibrationImages} images, " +
                          $"{Environment.ProcessorCount} logical cores, ONNX Runtime {(ortThreads == 0 ? "default" : ortThreads.ToString(inv))} threads; batch-1 runs interleaved");
        Console.WriteLine($"{"engine",-20}{"latency b1 median s",21}{"min s",9}{$"throughput b{r.Fp32.ThroughputBatch} img/s",22}{"peak RSS MB",13}{"GFLOP/s",10}");
        foreach (var t in new[] { r.Fp32, r.Int8 })
            Console.WriteLine($"{t.Engine,-20}{t.LatencyMedianSeconds.ToString("F4", inv),21}{t.LatencyMinSeconds.ToString("F4", inv),9}{t.ThroughputImagesPerSecond.ToString("F2", inv),22}{t.PeakResidentMegabytes.ToString("F0", inv),13}{t.GflopsPerSecond.ToString("F1", inv),10}");
        Console.WriteLine($"int8/fp32 latency ratio {r.LatencyRatio.ToString("F2", inv)}");
        return 0;
    }
}

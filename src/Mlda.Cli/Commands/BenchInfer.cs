using System.CommandLine;
using System.Globalization;
using Mlda.Checkpoints;
using Mlda.Export;
using Mlda.Networks;
using Mlda.Prediction;
using Mlda.Runtime;
using Mlda.Core;

namespace Mlda.Cli.Commands;

/// <summary><c>mlda bench infer</c>: TorchSharp eager against ONNX Runtime: latency, throughput, memory, GFLOP/s; the ratio last.</summary>
public static class BenchInfer
{
    public static Command Create()
    {
        var defaults = new ModelOptions();
        var weights = new Option<string?>("--weights") { Description = "model folder to time (default: random initialisation at --height x --width)" };
        var height = SharedOptions.Height(defaults.Height, "input height without --weights");
        var width = SharedOptions.Width(defaults.Width, "input width without --weights");
        var runs = new Option<int>("--runs") { Description = "timed batch-1 runs per engine (median reported)", DefaultValueFactory = _ => 20 };
        var throughputBatch = new Option<int>("--throughput-batch") { Description = "batch size for the throughput figure", DefaultValueFactory = _ => 8 };
        var ortThreads = new Option<int>("--ort-threads") { Description = "ONNX Runtime intra-op threads (0: one per physical core)", DefaultValueFactory = _ => 0 };
        var threads = SharedOptions.Threads("TorchSharp intra-op threads (0: its default, one per core)");
        var int8 = new Option<bool>("--int8") { Description = "time ONNX Runtime fp32 against the calibrated int8 graph (needs --calibration)" };
        var calibration = new Option<string?>("--calibration") { Description = "images for the int8 calibration (with --int8)" };
        var calibrationCount = new Option<int>("--calibration-count") { Description = "use the first N calibration images", DefaultValueFactory = _ => 64 };
        var profile = new Option<int>("--profile") { Description = "with --int8: afterwards, N batch-1 runs of each graph under ONNX Runtime's profiler, and a table of the time per operator type", DefaultValueFactory = _ => 0 };
        var command = new Command("infer", "TorchSharp eager vs ONNX Runtime (or, with --int8, ONNX Runtime fp32 vs int8): latency, throughput, memory of the encoder + depth decoder");
        foreach (var o in new Option[] { weights, height, width, runs, throughputBatch, ortThreads, threads, int8, calibration, calibrationCount, profile }) command.Options.Add(o);
        command.SetAction(pr => CommandRunner.Run(ct =>
        {
            if (pr.GetValue(runs) < 1 || pr.GetValue(throughputBatch) < 1) throw new InputException(null, "--runs and --throughput-batch must be at least 1");
            if (pr.GetValue(profile) < 0) throw new InputException(null, "--profile must be 0 (off) or a number of runs");
            if (pr.GetValue(profile) > 0 && !pr.GetValue(int8)) throw new InputException(null, "--profile compares the fp32 and int8 graphs: give it with --int8");
            if (pr.GetValue(threads) > 0) TorchSharp.torch.set_num_threads(pr.GetValue(threads));
            Int8ExportOptions? int8Options = pr.GetValue(int8)
                ? new Int8ExportOptions(pr.GetValue(calibration) ?? throw new InputException(null, "--int8 needs --calibration IMAGES"), pr.GetValue(calibrationCount))
                : null;
            int8Options?.Files();   // a calibration folder without images fails before the model loads
            MldaNetworks nets;
            string source;
            if (pr.GetValue(weights) is string dir)
            {
                nets = Checkpoint.Load(dir, depthOnly: true);
                source = dir;
            }
            else
            {
                var options = SharedOptions.ValidModelOptions(new ModelOptions(pr.GetValue(height), pr.GetValue(width)));
                nets = MldaNetworks.Create(options, imageNetPretrained: false, seed: 0, withPose: false);
                source = "random initialisation";
            }
            using (nets)
            {
                if (int8Options is not null) return Precision(nets, source, int8Options, pr.GetValue(runs), pr.GetValue(throughputBatch), pr.GetValue(ortThreads), pr.GetValue(profile), ct);
                var r = InferenceBenchmark.Run(nets, pr.GetValue(runs), pr.GetValue(throughputBatch), 3,
                    new RuntimeOptions(IntraOpThreads: pr.GetValue(ortThreads)), new ConsoleProgress(), ct);
                var inv = CultureInfo.InvariantCulture;
                Console.WriteLine($"MLDA-Net encoder + depth decoder at {r.Width}x{r.Height} ({source}), {2.0 * r.MacsPerImage / 1e9:F1} GFLOP per image (2 x MACs), " +
                                  $"{Environment.ProcessorCount} logical cores, TorchSharp {r.TorchThreads} threads, ONNX Runtime {(pr.GetValue(ortThreads) == 0 ? "default" : pr.GetValue(ortThreads).ToString(inv))} threads");
                PrintTimings(r.Torch, r.Onnx);
                Console.WriteLine($"latency ratio ONNX Runtime / TorchSharp eager (batch 1, median): {r.LatencyRatio.ToString("F2", inv)}");
            }
            return 0;
        }));
        return command;
    }

    /// <summary>ONNX Runtime fp32 against int8; the last line is the ratio.</summary>
    static int Precision(MldaNetworks nets, string source, Int8ExportOptions int8, int runs, int throughputBatch, int ortThreads, int profileRuns, CancellationToken ct)
    {
        var r = InferenceBenchmark.RunInt8(nets, int8, runs, throughputBatch, 3, new RuntimeOptions(IntraOpThreads: ortThreads), new ConsoleProgress(), ct, profileRuns);
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine($"MLDA-Net at {r.Width}x{r.Height} ({source}), {2.0 * r.MacsPerImage / 1e9:F1} GFLOP per image, int8 calibrated on {r.CalibrationImages} images, " +
                          $"{Environment.ProcessorCount} logical cores, ONNX Runtime {(ortThreads == 0 ? "default" : ortThreads.ToString(inv))} threads; batch-1 runs interleaved");
        PrintTimings(r.Fp32, r.Int8);
        if (r.Fp32Profile is { } pf && r.Int8Profile is { } pq) PrintProfile(pf, pq, profileRuns);
        Console.WriteLine($"int8/fp32 latency ratio {r.LatencyRatio.ToString("F2", inv)}");
        return 0;
    }

    /// <summary>The two graphs' time by operator type, largest first, with each graph's total (the profiler's own sum of kernels).</summary>
    static void PrintProfile(IReadOnlyList<OperatorTime> fp32, IReadOnlyList<OperatorTime> int8, int runs)
    {
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine($"ONNX Runtime profile, ms per batch-1 run by operator type (mean of {runs} profiled runs each; nodes per run in brackets):");
        Console.WriteLine($"{"fp32 graph",-36}{"int8 graph",-36}");
        string Cell(OperatorTime? t) => t is null ? "" : $"{t.OpType,-22}{t.MillisecondsPerRun.ToString("F1", inv),8} ({t.NodesPerRun.ToString("F0", inv)})";
        for (int i = 0; i < Math.Max(fp32.Count, int8.Count); i++)
            Console.WriteLine($"{Cell(i < fp32.Count ? fp32[i] : null),-36}{Cell(i < int8.Count ? int8[i] : null),-36}");
        Console.WriteLine($"{"total",-22}{fp32.Sum(t => t.MillisecondsPerRun).ToString("F1", inv),8}      {"total",-22}{int8.Sum(t => t.MillisecondsPerRun).ToString("F1", inv),8}");
    }

    /// <summary>One row per engine: latency, throughput, memory, GFLOP/s.</summary>
    static void PrintTimings(params EngineTiming[] engines)
    {
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine($"{"engine",-20}{"latency b1 median s",21}{"min s",9}{$"throughput b{engines[0].ThroughputBatch} img/s",22}{"peak RSS MB",13}{"GFLOP/s",10}");
        foreach (var t in engines)
            Console.WriteLine($"{t.Engine,-20}{t.LatencyMedianSeconds.ToString("F4", inv),21}{t.LatencyMinSeconds.ToString("F4", inv),9}{t.ThroughputImagesPerSecond.ToString("F2", inv),22}{t.PeakResidentMegabytes.ToString("F0", inv),13}{t.GflopsPerSecond.ToString("F1", inv),10}");
    }
}

using System.Diagnostics;
using Mlda.Core;
using Mlda.Export;
using Mlda.Interop;
using Mlda.Networks;
using Mlda.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Mlda.Prediction;

/// <summary>One engine's figures: warm batch-1 latency (median and min of the runs), batch throughput, the process's
/// peak resident memory while it ran, and the achieved rate from the network's multiply-accumulate count.</summary>
public sealed record EngineTiming(
    string Engine,
    double LatencyMedianSeconds,
    double LatencyMinSeconds,
    int LatencyRuns,
    double ThroughputImagesPerSecond,
    int ThroughputBatch,
    double PeakResidentMegabytes,
    double GflopsPerSecond);

public sealed record InferenceBenchmarkResult(int Height, int Width, long MacsPerImage, int TorchThreads, EngineTiming Torch, EngineTiming Onnx)
{
    /// <summary>ONNX Runtime latency over TorchSharp eager latency (batch 1, medians): below 1 means ONNX Runtime is faster.</summary>
    public double LatencyRatio => Onnx.LatencyMedianSeconds / Torch.LatencyMedianSeconds;
}

/// <summary>The float32 and the calibrated int8 graph of one export in ONNX Runtime, measured in the same process.</summary>
/// <param name="Fp32Profile">with profiling: the fp32 graph's time per operator type (ONNX Runtime's profiler, separate runs)</param>
/// <param name="Int8Profile">the same for the int8 graph</param>
public sealed record PrecisionBenchmarkResult(int Height, int Width, long MacsPerImage, int CalibrationImages, EngineTiming Fp32, EngineTiming Int8,
                                              IReadOnlyList<OperatorTime>? Fp32Profile = null, IReadOnlyList<OperatorTime>? Int8Profile = null)
{
    /// <summary>int8 latency over fp32 latency (batch 1, medians of interleaved runs): below 1 means int8 is faster.</summary>
    public double LatencyRatio => Int8.LatencyMedianSeconds / Fp32.LatencyMedianSeconds;
}

/// <summary>
/// TorchSharp eager against ONNX Runtime on the same networks in one process: the networks are exported to a
/// temporary folder and both engines run the same inputs. Latency: warm, batch 1, median of many runs.
/// Throughput: batch <c>throughputBatch</c>. GFLOP/s = 2 × MACs (convolutions and GA products, as
/// <see cref="NetworkComplexity"/> counts them) / time. Peak memory is the process's VmHWM, reset before each engine
/// (Linux <c>/proc/self/clear_refs</c>), so it includes what both have loaded.
/// </summary>
public static class InferenceBenchmark
{
    public static InferenceBenchmarkResult Run(MldaNetworks nets, int latencyRuns = 20, int throughputBatch = 8, int throughputRuns = 3,
        RuntimeOptions? runtime = null, IProgress<ProgressUpdate>? progress = null, CancellationToken ct = default)
    {
        nets.Eval();
        int h = nets.Options.Height, w = nets.Options.Width;
        long macs = CountMacs(nets);
        return InTemporaryExport(nets, new ExportOptions(), progress, dir =>
        {
            using var torchModel = new TorchDisparityModel(nets, ownsNetworks: false);
            var torchTiming = Measure("TorchSharp eager", torchModel.PredictDisparity, h, w, macs, latencyRuns, throughputBatch, throughputRuns, progress, ct);
            EngineTiming onnxTiming;
            using (var onnx = OnnxDepthModel.Load(dir, runtime))
                onnxTiming = Measure("ONNX Runtime", onnx.PredictDisparity, h, w, macs, latencyRuns, throughputBatch, throughputRuns, progress, ct);
            return new InferenceBenchmarkResult(h, w, macs, get_num_threads(), torchTiming, onnxTiming);
        });
    }

    /// <summary>Runs <paramref name="body"/> on an export of <paramref name="nets"/> in a temporary folder, deleted afterwards.</summary>
    static T InTemporaryExport<T>(MldaNetworks nets, ExportOptions options, IProgress<ProgressUpdate>? progress, Func<string, T> body)
    {
        var dir = Path.Combine(Path.GetTempPath(), "mlda-bench-" + Guid.NewGuid().ToString("N")[..10]);
        try
        {
            OnnxExporter.Export(nets, dir, options, progress);
            return body(dir);
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, true);
        }
    }

    /// <summary>
    /// ONNX Runtime fp32 against int8 (<c>mlda bench --int8</c>): one export with both graphs, calibrated on
    /// <paramref name="int8"/>'s images. Batch-1 runs alternate between the two graphs, so that a shared machine's
    /// changing load falls on both alike; GFLOP/s counts the float network's MACs for both.
    /// </summary>
    /// <param name="profileRuns">afterwards, this many batch-1 runs of each graph under ONNX Runtime's profiler (0: none), in
    /// sessions of their own so that the profiler's overhead stays out of the timings</param>
    public static PrecisionBenchmarkResult RunInt8(MldaNetworks nets, Int8ExportOptions int8, int latencyRuns = 20, int throughputBatch = 8, int throughputRuns = 3,
        RuntimeOptions? runtime = null, IProgress<ProgressUpdate>? progress = null, CancellationToken ct = default, int profileRuns = 0)
    {
        nets.Eval();
        int h = nets.Options.Height, w = nets.Options.Width;
        long macs = CountMacs(nets);
        return InTemporaryExport(nets, new ExportOptions() with { Int8 = int8 }, progress, dir =>
        {
            using var fp32 = OnnxDepthModel.Load(dir, runtime);
            using var q = OnnxDepthModel.Load(dir, runtime, Core.Prediction.ModelPrecision.Int8);
            var one = ExportVerifier.RandomImages(1, h, w, seed: 1);
            for (int i = 0; i < 2; i++) { fp32.PredictDisparity(one, 1); q.PredictDisparity(one, 1); }
            var (tf, tq) = (new double[latencyRuns], new double[latencyRuns]);
            for (int i = 0; i < latencyRuns; i++)
            {
                ct.ThrowIfCancellationRequested();
                tf[i] = Time(() => fp32.PredictDisparity(one, 1));
                tq[i] = Time(() => q.PredictDisparity(one, 1));
                progress?.Report(new ProgressUpdate("fp32 and int8, batch 1", i + 1, latencyRuns));
            }
            var fp32Timing = Throughput("ONNX Runtime fp32", fp32.PredictDisparity, tf, h, w, macs, throughputBatch, throughputRuns, progress, ct);
            var int8Timing = Throughput("ONNX Runtime int8", q.PredictDisparity, tq, h, w, macs, throughputBatch, throughputRuns, progress, ct);
            var result = new PrecisionBenchmarkResult(h, w, macs, int8.Files().Count, fp32Timing, int8Timing);
            if (profileRuns == 0) return result;
            return result with
            {
                Fp32Profile = Profile(dir, Core.Prediction.ModelPrecision.Fp32, runtime, one, profileRuns, progress, ct),
                Int8Profile = Profile(dir, Core.Prediction.ModelPrecision.Int8, runtime, one, profileRuns, progress, ct),
            };
        });
    }

    /// <summary>Time per operator type, averaged over <paramref name="runs"/> batch-1 runs of a fresh session (its first run, which allocates, included).</summary>
    static IReadOnlyList<OperatorTime> Profile(string dir, Core.Prediction.ModelPrecision precision, RuntimeOptions? runtime, float[] image, int runs,
        IProgress<ProgressUpdate>? progress, CancellationToken ct)
    {
        var prefix = Path.Combine(dir, $"profile-{precision}".ToLowerInvariant());
        using var model = OnnxDepthModel.Load(dir, (runtime ?? new RuntimeOptions()) with { ProfilePrefix = prefix }, precision);
        for (int i = 0; i < runs; i++)
        {
            ct.ThrowIfCancellationRequested();
            model.PredictDisparity(image, 1);
            progress?.Report(new ProgressUpdate($"profile {precision}", i + 1, runs));
        }
        return OperatorProfile.Summarise(model.EndProfiling(), runs);
    }

    static double Time(Action run)
    {
        var sw = Stopwatch.StartNew();
        run();
        return sw.Elapsed.TotalSeconds;
    }

    static EngineTiming Throughput(string engine, Func<float[], int, float[]> predict, double[] latencies, int h, int w, long macs, int batch, int batchRuns,
        IProgress<ProgressUpdate>? progress, CancellationToken ct, bool resetPeak = true)
    {
        var many = ExportVerifier.RandomImages(batch, h, w, seed: 2);
        if (resetPeak) ResetPeakMemory();
        predict(many, batch);
        var total = Stopwatch.StartNew();
        for (int i = 0; i < batchRuns; i++)
        {
            ct.ThrowIfCancellationRequested();
            predict(many, batch);
            progress?.Report(new ProgressUpdate($"{engine} batch {batch}", i + 1, batchRuns));
        }
        double throughput = batch * batchRuns / total.Elapsed.TotalSeconds;
        var times = latencies.Order().ToArray();
        double median = Median(times);
        return new EngineTiming(engine, median, times[0], times.Length, throughput, batch, PeakResidentMegabytes(), 2.0 * macs / median / 1e9);
    }

    static double Median(double[] sorted) =>
        sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : 0.5 * (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]);

    /// <summary>MACs of encoder + depth decoder for one image.</summary>
    public static long CountMacs(MldaNetworks nets)
    {
        using var noGc = new NoGcRegion(); // TorchSharp temporaries must outlive their native calls
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var image = zeros(1, 3, nets.Options.Height, nets.Options.Width);
        Tensor[] features = [];
        long encoder = NetworkComplexity.Count(nets.Encoder, () => features = nets.Encoder.call(image));
        long depth = NetworkComplexity.Count(nets.Depth, () => nets.Depth.call(features));
        return encoder + depth;
    }

    static EngineTiming Measure(string engine, Func<float[], int, float[]> predict, int h, int w, long macs, int latencyRuns, int batch, int batchRuns,
        IProgress<ProgressUpdate>? progress, CancellationToken ct)
    {
        var one = ExportVerifier.RandomImages(1, h, w, seed: 1);
        ResetPeakMemory();
        for (int i = 0; i < 2; i++) predict(one, 1);   // warm-up: allocations, kernel selection, thread pools
        var times = new double[latencyRuns];
        for (int i = 0; i < latencyRuns; i++)
        {
            ct.ThrowIfCancellationRequested();
            times[i] = Time(() => predict(one, 1));
            progress?.Report(new ProgressUpdate($"{engine} batch 1", i + 1, latencyRuns));
        }
        return Throughput(engine, predict, times, h, w, macs, batch, batchRuns, progress, ct, resetPeak: false);
    }

    static void ResetPeakMemory()
    {
        try { File.WriteAllText("/proc/self/clear_refs", "5"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    /// <summary>VmHWM of this process in MB (NaN where /proc is not available).</summary>
    public static double PeakResidentMegabytes()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    return long.Parse(line[6..].Trim().Split(' ')[0]) / 1024.0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException) { }
        return double.NaN;
    }
}

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
        var dir = Path.Combine(Path.GetTempPath(), "mlda-bench-" + Guid.NewGuid().ToString("N")[..10]);
        try
        {
            progress?.Report(new ProgressUpdate("export", 0, 1));
            OnnxExporter.Export(nets, dir, new ExportOptions());
            progress?.Report(new ProgressUpdate("export", 1, 1));
            using var torchModel = new TorchDisparityModel(nets, ownsNetworks: false);
            var torchTiming = Measure("TorchSharp eager", torchModel.PredictDisparity, h, w, macs, latencyRuns, throughputBatch, throughputRuns, progress, ct);
            EngineTiming onnxTiming;
            using (var onnx = OnnxDepthModel.Load(dir, runtime))
                onnxTiming = Measure("ONNX Runtime", onnx.PredictDisparity, h, w, macs, latencyRuns, throughputBatch, throughputRuns, progress, ct);
            return new InferenceBenchmarkResult(h, w, macs, get_num_threads(), torchTiming, onnxTiming);
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, true);
        }
    }

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
        var many = ExportVerifier.RandomImages(batch, h, w, seed: 2);
        ResetPeakMemory();
        for (int i = 0; i < 2; i++) predict(one, 1);   // warm-up: allocations, kernel selection, thread pools
        var times = new double[latencyRuns];
        for (int i = 0; i < latencyRuns; i++)
        {
            ct.ThrowIfCancellationRequested();
            var sw = Stopwatch.StartNew();
            predict(one, 1);
            times[i] = sw.Elapsed.TotalSeconds;
            progress?.Report(new ProgressUpdate($"{engine} batch 1", i + 1, latencyRuns));
        }
        Array.Sort(times);
        double median = latencyRuns % 2 == 1 ? times[latencyRuns / 2] : 0.5 * (times[latencyRuns / 2 - 1] + times[latencyRuns / 2]);
        predict(many, batch);
        var total = Stopwatch.StartNew();
        for (int i = 0; i < batchRuns; i++)
        {
            ct.ThrowIfCancellationRequested();
            predict(many, batch);
            progress?.Report(new ProgressUpdate($"{engine} batch {batch}", i + 1, batchRuns));
        }
        double throughput = batch * batchRuns / total.Elapsed.TotalSeconds;
        return new EngineTiming(engine, median, times[0], latencyRuns, throughput, batch, PeakResidentMegabytes(), 2.0 * macs / median / 1e9);
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

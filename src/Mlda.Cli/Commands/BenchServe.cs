using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Mlda.Core;
using Mlda.Server;

namespace Mlda.Cli.Commands;

/// <summary>
/// <c>mlda bench serve</c>: starts <c>mlda serve</c> on a free loopback port as its own process (so its memory is its
/// own), times the model alone at batch 1, loads the server with N concurrent clients for S seconds, stops it, then
/// times the model alone again and the whole infer path in this process with the same threads, for comparison.
/// </summary>
public static class BenchServe
{
    public static Command Create()
    {
        var defaults = new ServeBenchmarkOptions();
        var modelDir = new Option<string?>("--model") { Description = "exported model folder: starts mlda serve on a free loopback port for the run" };
        var url = new Option<string?>("--url") { Description = "a running mlda serve on this machine instead (loopback addresses only)" };
        var clients = new Option<int>("--clients") { Description = "concurrent clients", DefaultValueFactory = _ => defaults.Clients };
        var seconds = new Option<double>("--seconds") { Description = "length of the load", DefaultValueFactory = _ => defaults.Seconds };
        var image = new Option<string?>("--image") { Description = "JPEG or PNG to send (default: the page's synthetic example)" };
        var format = new Option<string>("--format") { Description = $"answer format ({DepthFormats.Choices})", DefaultValueFactory = _ => defaults.Format };
        var serverDefaults = new ServerOptions();
        var threads = SharedOptions.Threads("ONNX Runtime intra-op threads of each of the server's runs (0: one per physical core)", serverDefaults.Threads);
        var parallelRuns = SharedOptions.ParallelRuns(serverDefaults.ParallelRuns);
        var command = new Command("serve", "load test of mlda serve on loopback: throughput, p50/p99 latency, errors, server memory before/after");
        foreach (var o in new Option[] { modelDir, url, clients, seconds, image, format, threads, parallelRuns }) command.Options.Add(o);
        command.SetAction(pr => CommandRunner.Run(ct =>
        {
            var options = new ServeBenchmarkOptions(pr.GetValue(clients), pr.GetValue(seconds), pr.GetValue(format)!);
            options.Validate();
            var dir = pr.GetValue(modelDir);
            if ((dir is null) == (pr.GetValue(url) is null)) throw new InputException(null, "give --model (starts a server) or --url (a running one)");
            var imagePath = pr.GetValue(image) ?? Path.Combine(AppContext.BaseDirectory, "wwwroot", "examples", "synthetic_street.png");
            if (!File.Exists(imagePath)) throw new InputException(imagePath, "no such image");
            var bytes = File.ReadAllBytes(imagePath);
            var contentType = bytes.Length > 3 && bytes[0] == 0x89 && bytes[1] == 'P' ? "image/png" : "image/jpeg";
            using (var probe = Mlda.Core.Prediction.PredictionSource.DecodeImage(bytes, imagePath))
                Console.WriteLine($"image {imagePath} ({probe.Cols}x{probe.Rows}, {contentType}), format {options.Format}, {options.Clients} clients for {options.Seconds} s");

            // The model alone is timed before the load and again after it: these shared machines drift by tens of
            // percent within minutes, so one figure taken after the load alone is not a fair yardstick.
            double compare = Math.Min(options.Seconds, 10);
            // The yardstick has the server's threads in all, in one caller: --threads 1 --parallel-runs 2 is compared with
            // ONNX Runtime at 2 threads, never with a single thread.
            var serving = new ServerOptions(MaxConcurrency: options.Clients, Threads: pr.GetValue(threads), ParallelRuns: pr.GetValue(parallelRuns));
            serving.Validate();
            int runs = serving.EffectiveParallelRuns, perRun = serving.Threads;
            int yardstickThreads = perRun == 0 ? 0 : perRun * runs;
            double? modelBefore = null;
            if (pr.GetValue(modelDir) is { } exportDir)
                using (var service = DepthService.Load(exportDir, yardstickThreads))
                    modelBefore = ServeBenchmark.ModelBatchOneRate(service.Model, compare, ct);

            Process? server = null;
            try
            {
                Uri baseUrl;
                if (dir is null)
                {
                    baseUrl = new Uri(pr.GetValue(url)!.TrimEnd('/') + "/");
                    if (!baseUrl.IsLoopback) throw new InputException(null, $"--url {baseUrl}: only loopback addresses are load-tested");
                }
                else (server, baseUrl) = StartServer(dir, options.Clients, perRun, runs);
                using var client = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(120) };
                var r = ServeBenchmark.RunAsync(client, bytes, contentType, options, new ConsoleProgress(), ct).GetAwaiter().GetResult();
                var inv = CultureInfo.InvariantCulture;
                Console.WriteLine($"server {baseUrl} ({(server is null ? "running" : $"pid {server.Id}, started for this run: {runs} model run(s) at once, {(perRun == 0 ? "one thread per physical core" : $"{perRun} thread(s)")} each")}), {Environment.ProcessorCount} logical cores");
                Console.WriteLine($"requests {r.Requests} in {r.Seconds.ToString("F1", inv)} s: {r.RequestsPerSecond.ToString("F2", inv)} req/s; " +
                                  $"latency p50 {(1000 * r.LatencyP50Seconds).ToString("F0", inv)} ms, p99 {(1000 * r.LatencyP99Seconds).ToString("F0", inv)} ms, max {(1000 * r.LatencyMaxSeconds).ToString("F0", inv)} ms");
                Console.WriteLine($"errors {r.Errors} ({string.Join(", ", r.Outcomes.Select(o => $"{o.Key}: {o.Value}"))})");
                Console.WriteLine($"server resident memory: before {Megabytes(r.ResidentMegabytesBefore)}, every 5 s during [{string.Join(", ", r.ResidentMegabytesDuring.Select(m => m.ToString("F0", inv)))}] MiB, after {Megabytes(r.ResidentMegabytesAfter)}");
                if (server is not null)
                {
                    StopServer(server);
                    server = null;
                    // The server is gone: the comparison has the machine to itself, as the server had.
                    using var service = DepthService.Load(dir!, yardstickThreads);
                    var modelAfter = ServeBenchmark.ModelBatchOneRate(service.Model, compare, ct);
                    var pipeline = ServeBenchmark.PipelineRate(service, bytes, DepthFormats.Parse(options.Format), compare, ct);
                    double model = (modelBefore!.Value + modelAfter) / 2;
                    Console.WriteLine($"the server's threads in all ({(yardstickThreads == 0 ? "one per physical core" : yardstickThreads)}), one caller, no HTTP: ONNX Runtime batch 1 {modelBefore.Value.ToString("F2", inv)} img/s before the load, " +
                                      $"{modelAfter.ToString("F2", inv)} after (mlda bench's figure); whole infer path on this image {pipeline.ToString("F2", inv)} img/s");
                    Console.WriteLine($"server throughput / ONNX Runtime batch 1 (mean of before and after): {(r.RequestsPerSecond / model).ToString("F2", inv)}; " +
                                      $"/ infer path: {(r.RequestsPerSecond / pipeline).ToString("F2", inv)}");
                }
                return r.Errors == 0 ? 0 : 1;
            }
            finally
            {
                if (server is not null) StopServer(server);
            }
        }));
        return command;
    }

    static string Megabytes(double? mb) => mb is double v ? v.ToString("F0", CultureInfo.InvariantCulture) + " MiB" : "not reported";

    /// <summary><c>mlda serve</c> as a child process on 127.0.0.1 port 0; returns once it prints where it listens.</summary>
    static (Process, Uri) StartServer(string modelDir, int clients, int threads, int parallelRuns)
    {
        var dll = typeof(BenchServe).Assembly.Location;
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { dll, "serve", "--model", modelDir, "--urls", "http://127.0.0.1:0", "--max-concurrency", clients.ToString(CultureInfo.InvariantCulture), "--threads", threads.ToString(CultureInfo.InvariantCulture), "--parallel-runs", parallelRuns.ToString(CultureInfo.InvariantCulture) })
            psi.ArgumentList.Add(a);
        var p = Process.Start(psi) ?? throw new InvalidOperationException("could not start mlda serve");
        var errors = p.StandardError.ReadToEndAsync();
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(120))
        {
            var line = p.StandardOutput.ReadLine();
            if (line is null) break;
            const string marker = "listening on ";
            int at = line.IndexOf(marker, StringComparison.Ordinal);
            if (at >= 0)
            {
                _ = p.StandardOutput.ReadToEndAsync(); // keep draining so the server never blocks on a full pipe
                return (p, new Uri(line[(at + marker.Length)..].Trim().TrimEnd('/') + "/"));
            }
        }
        StopServer(p);
        var why = errors.Wait(TimeSpan.FromSeconds(5)) ? errors.Result.Trim() : "";
        throw new InputException(modelDir, "mlda serve did not start" + (why.Length > 0 ? ": " + why.Split('\n')[^1] : ""));
    }

    static void StopServer(Process p)
    {
        if (!p.HasExited) p.Kill(entireProcessTree: true);
        p.WaitForExit(10_000);
        p.Dispose();
    }
}

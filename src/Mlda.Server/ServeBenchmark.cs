using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using Mlda.Core;
using Mlda.Core.Prediction;
using OpenCvSharp;

namespace Mlda.Server;

/// <summary>A bounded load test: <see cref="Clients"/> clients each send requests one after another for <see cref="Seconds"/>.</summary>
public sealed record ServeBenchmarkOptions(int Clients = 8, double Seconds = 30, string Format = "npy")
{
    public void Validate()
    {
        if (Clients < 1) throw new InputException(null, $"--clients must be at least 1, got {Clients}");
        if (!(Seconds > 0) || Seconds > 3600) throw new InputException(null, $"--seconds must be in (0, 3600], got {Seconds}");
        DepthFormats.Parse(Format);
    }
}

/// <summary>
/// What the load did: completed requests, refused or failed ones (any status but 200, or no answer), throughput,
/// latency percentiles of the successful requests, and the server's resident memory (its <c>/metrics</c>
/// <c>process_working_set_bytes</c>) before the load, every few seconds during it, and after it.
/// </summary>
public sealed record ServeBenchmarkResult(
    int Clients,
    double Seconds,
    int Requests,
    int Errors,
    IReadOnlyDictionary<string, int> Outcomes,
    double RequestsPerSecond,
    double LatencyP50Seconds,
    double LatencyP99Seconds,
    double LatencyMaxSeconds,
    double? ResidentMegabytesBefore,
    IReadOnlyList<double> ResidentMegabytesDuring,
    double? ResidentMegabytesAfter);

public static class ServeBenchmark
{
    /// <summary>Runs the load against the server behind <paramref name="client"/> (its base address).</summary>
    public static async Task<ServeBenchmarkResult> RunAsync(HttpClient client, byte[] image, string contentType, ServeBenchmarkOptions options,
        IProgress<ProgressUpdate>? progress = null, CancellationToken ct = default)
    {
        options.Validate();
        var url = $"v1/depth?format={Uri.EscapeDataString(options.Format)}";
        // One request first: the answer must be right before timing anything, and the session is warm afterwards.
        var (first, _) = await Send(client, url, image, contentType, ct);
        if (first != "200") throw new InputException(null, $"{client.BaseAddress}{url}: the warm-up request got {first}");
        var before = await ResidentMegabytes(client, ct);

        var clock = Stopwatch.StartNew();
        var deadline = TimeSpan.FromSeconds(options.Seconds);
        var perClient = new List<(string Outcome, double Seconds)>[options.Clients];
        var workers = Enumerable.Range(0, options.Clients).Select(i => Task.Run(async () =>
        {
            var mine = perClient[i] = [];
            while (clock.Elapsed < deadline && !ct.IsCancellationRequested) mine.Add(await Send(client, url, image, contentType, ct));
        }, ct)).ToList();
        var during = new List<double>();
        using (var ticker = new PeriodicTimer(TimeSpan.FromSeconds(1)))
        {
            var all = Task.WhenAll(workers);
            for (int tick = 1; !all.IsCompleted; tick++)
            {
                await Task.WhenAny(all, ticker.WaitForNextTickAsync(ct).AsTask());
                progress?.Report(new ProgressUpdate("load", (int)Math.Min(clock.Elapsed.TotalSeconds, options.Seconds), (int)Math.Ceiling(options.Seconds)));
                if (tick % 5 == 0 && !all.IsCompleted && await ResidentMegabytes(client, ct) is double mb) during.Add(mb);
            }
            await all;
        }
        double elapsed = clock.Elapsed.TotalSeconds;
        var after = await ResidentMegabytes(client, ct);

        var results = perClient.SelectMany(r => r).ToList();
        var ok = results.Where(r => r.Outcome == "200").Select(r => r.Seconds).Order().ToArray();
        var outcomes = results.GroupBy(r => r.Outcome).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count());
        return new ServeBenchmarkResult(options.Clients, elapsed, ok.Length, results.Count - ok.Length, outcomes, ok.Length / elapsed,
            Percentile(ok, 50), Percentile(ok, 99), ok.Length > 0 ? ok[^1] : double.NaN, before, during, after);
    }

    static async Task<(string Outcome, double Seconds)> Send(HttpClient client, string url, byte[] image, string contentType, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            using var content = new ByteArrayContent(image);
            content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
            using var response = await client.PostAsync(url, content, ct);
            await response.Content.CopyToAsync(Stream.Null, ct); // the whole answer, as a real client reads it
            return (((int)response.StatusCode).ToString(CultureInfo.InvariantCulture), clock.Elapsed.TotalSeconds);
        }
        catch (HttpRequestException e)
        {
            return ("no answer: " + e.Message.Split('\n')[0], clock.Elapsed.TotalSeconds);
        }
    }

    /// <summary>The server's resident memory from its Prometheus text (<c>process_working_set_bytes</c>, VmRSS on Linux).</summary>
    public static async Task<double?> ResidentMegabytes(HttpClient client, CancellationToken ct = default)
    {
        var text = await client.GetStringAsync("metrics", ct);
        foreach (var line in text.Split('\n'))
            if (line.StartsWith("process_working_set_bytes ", StringComparison.Ordinal)
                && double.TryParse(line["process_working_set_bytes ".Length..], NumberStyles.Float, CultureInfo.InvariantCulture, out var bytes))
                return bytes / (1024.0 * 1024.0);
        return null;
    }

    /// <summary>numpy's linear-interpolated percentile of sorted values (NaN when there are none).</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double percent)
    {
        if (sorted.Count == 0) return double.NaN;
        double pos = percent / 100.0 * (sorted.Count - 1);
        int lo = (int)Math.Floor(pos), hi = Math.Min(lo + 1, sorted.Count - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    /// <summary>
    /// The same work without HTTP, for comparison: images per second of one caller running <paramref name="work"/>
    /// back to back for <paramref name="seconds"/> (after one untimed run).
    /// </summary>
    public static double SequentialRate(Action work, double seconds, CancellationToken ct = default)
    {
        work();
        var clock = Stopwatch.StartNew();
        int n = 0;
        while (clock.Elapsed.TotalSeconds < seconds && !ct.IsCancellationRequested)
        {
            work();
            n++;
        }
        return n / clock.Elapsed.TotalSeconds;
    }

    /// <summary>The model alone at batch 1 (<c>mlda bench</c>'s ONNX Runtime figure): a fixed input of the network's size.</summary>
    public static double ModelBatchOneRate(IDisparityModel model, double seconds, CancellationToken ct = default)
    {
        var input = new float[3 * model.Height * model.Width];
        var random = new Random(0);
        for (int i = 0; i < input.Length; i++) input[i] = (float)random.NextDouble();
        return SequentialRate(() => model.PredictDisparity(input, 1), seconds, ct);
    }

    /// <summary>The whole <c>mlda infer</c> path on one decoded image: resize, model, resize back, depth, encoding.</summary>
    public static double PipelineRate(DepthService service, byte[] image, DepthFormat format, double seconds, CancellationToken ct = default) =>
        SequentialRate(() =>
        {
            using var bgr = PredictionSource.DecodeImage(image, "image");
            DepthFormats.Encode(format, bgr, service.Predict(bgr), service, 1);
        }, seconds, ct);
}

using Mlda.Core;

namespace Mlda.Server;

/// <summary>
/// How <c>mlda serve</c> runs: where it listens, how many depth requests run at once (each at batch 1 on the one
/// shared ONNX Runtime session; more are refused with 503), the largest upload, ONNX Runtime's intra-op threads per
/// run and how many runs go at once (the requests beyond wait for a run to finish). The default is one single-threaded
/// run per core: under load that gives about 30 % more throughput than one run on every core, which a batch-1 run
/// leaves partly idle while it waits for its slowest thread (measured with <c>mlda bench serve</c>, README).
/// </summary>
public sealed record ServerOptions(
    string Urls = "http://127.0.0.1:8080",
    int MaxConcurrency = 8,
    double MaxUploadMegabytes = 20,
    int Threads = 1,
    int ParallelRuns = 0)
{
    public long MaxUploadBytes => (long)(MaxUploadMegabytes * 1024 * 1024);

    /// <summary><see cref="ParallelRuns"/>, where 0 means one per logical core (at most <see cref="MaxConcurrency"/>).</summary>
    public int EffectiveParallelRuns => ParallelRuns > 0 ? ParallelRuns : Math.Min(Environment.ProcessorCount, MaxConcurrency);

    public void Validate()
    {
        if (MaxConcurrency < 1) throw new InputException(null, $"--max-concurrency must be at least 1, got {MaxConcurrency}");
        if (!(MaxUploadMegabytes > 0)) throw new InputException(null, $"--max-upload-mb must be positive, got {MaxUploadMegabytes}");
        if (ParallelRuns < 0 || ParallelRuns > MaxConcurrency)
            throw new InputException(null, $"--parallel-runs must be 0 (one per core) or at most --max-concurrency ({MaxConcurrency}), got {ParallelRuns}");
        if (Threads < 0) throw new InputException(null, $"--threads must be 0 (one per physical core) or more, got {Threads}");
        foreach (var url in Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            if (!Uri.TryCreate(url, UriKind.Absolute, out var u) || u.Scheme != Uri.UriSchemeHttp)
                throw new InputException(null, $"--urls: '{url}' is not an http:// address (e.g. http://127.0.0.1:8080)");
    }
}

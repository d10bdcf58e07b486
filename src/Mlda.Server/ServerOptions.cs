using Mlda.Core;

namespace Mlda.Server;

/// <summary>
/// How <c>mlda serve</c> runs: where it listens, how many depth requests run at once (each at batch 1 on the one
/// shared ONNX Runtime session; more are refused with 503), the largest upload, ONNX Runtime's intra-op threads per
/// run and how many runs go at once (the requests beyond wait for a run to finish).
/// </summary>
public sealed record ServerOptions(
    string Urls = "http://127.0.0.1:8080",
    int MaxConcurrency = 8,
    double MaxUploadMegabytes = 20,
    int Threads = 0,
    int ParallelRuns = 1)
{
    public long MaxUploadBytes => (long)(MaxUploadMegabytes * 1024 * 1024);

    public void Validate()
    {
        if (MaxConcurrency < 1) throw new InputException(null, $"--max-concurrency must be at least 1, got {MaxConcurrency}");
        if (!(MaxUploadMegabytes > 0)) throw new InputException(null, $"--max-upload-mb must be positive, got {MaxUploadMegabytes}");
        if (ParallelRuns < 1 || ParallelRuns > MaxConcurrency)
            throw new InputException(null, $"--parallel-runs must be between 1 and --max-concurrency ({MaxConcurrency}), got {ParallelRuns}");
        if (Threads < 0) throw new InputException(null, $"--threads must be 0 (one per physical core) or more, got {Threads}");
        foreach (var url in Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            if (!Uri.TryCreate(url, UriKind.Absolute, out var u) || u.Scheme != Uri.UriSchemeHttp)
                throw new InputException(null, $"--urls: '{url}' is not an http:// address (e.g. http://127.0.0.1:8080)");
    }
}

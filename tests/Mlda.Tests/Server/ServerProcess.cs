using System.Diagnostics;

namespace Mlda.Tests.Server;

/// <summary>The real <c>mlda serve</c> (Mlda.Cli.dll next to the tests) on a free loopback port, stopped on dispose.</summary>
sealed class ServerProcess : IDisposable
{
    readonly Process _process;
    readonly Task<string> _stderr;

    public Uri Url { get; }

    public ServerProcess(string modelDir)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "Mlda.Cli.dll"), "serve", "--model", modelDir, "--urls", "http://127.0.0.1:0", "--threads", "1" })
            psi.ArgumentList.Add(a);
        _process = Process.Start(psi)!;
        _stderr = _process.StandardError.ReadToEndAsync();
        var lines = new List<string>();
        var read = Task.Run(() =>
        {
            for (var line = _process.StandardOutput.ReadLine(); line is not null; line = _process.StandardOutput.ReadLine())
            {
                lines.Add(line);
                const string marker = "listening on ";
                if (line.IndexOf(marker, StringComparison.Ordinal) is var at and >= 0) return line[(at + marker.Length)..].Trim();
            }
            return null;
        });
        if (!read.Wait(TimeSpan.FromSeconds(120)) || read.Result is not string url)
        {
            Dispose();
            throw new InvalidOperationException($"mlda serve did not start:\n{string.Join('\n', lines)}\n{_stderr.Result}");
        }
        _ = _process.StandardOutput.ReadToEndAsync();
        Url = new Uri(url.TrimEnd('/') + "/");
    }

    public bool HasExited => _process.HasExited;

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
        _process.Dispose();
    }
}

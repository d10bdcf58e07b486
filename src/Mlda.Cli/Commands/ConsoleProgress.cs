using System.Diagnostics;
using Mlda.Core;

namespace Mlda.Cli.Commands;

/// <summary>
/// Progress on stderr: a line that rewrites itself on a terminal, and one line every few seconds when the
/// output is a log file (CI), with rate and ETA either way.
/// </summary>
public sealed class ConsoleProgress : IProgress<ProgressUpdate>
{
    readonly Stopwatch _clock = Stopwatch.StartNew();
    readonly object _gate = new();
    readonly bool _interactive = !Console.IsErrorRedirected;
    string? _stage;
    double _stageStart;
    double _lastPrint = double.NegativeInfinity;

    public void Report(ProgressUpdate u)
    {
        lock (_gate)
        {
            double now = _clock.Elapsed.TotalSeconds;
            if (u.Stage != _stage)
            {
                if (_stage is not null && _interactive) Console.Error.WriteLine();
                _stage = u.Stage;
                _stageStart = now;
                _lastPrint = double.NegativeInfinity;
            }
            bool last = u.Done >= u.Total;
            double interval = _interactive ? 0.2 : 5.0;
            if (!last && now - _lastPrint < interval) return;
            _lastPrint = now;
            double elapsed = now - _stageStart;
            double rate = elapsed > 0 ? u.Done / elapsed : 0;
            string eta = rate > 0 && u.Total > 0 ? Format((u.Total - u.Done) / rate) : "?";
            string pct = u.Total > 0 ? $"{100.0 * u.Done / u.Total,5:F1}%" : "";
            string line = $"{u.Stage}: {u.Done}/{u.Total} {pct} | {rate:F2}/s | elapsed {Format(elapsed)} | ETA {eta}" +
                          (u.Detail is null ? "" : $" | {u.Detail}");
            if (_interactive)
            {
                Console.Error.Write("\r" + line.PadRight(Math.Max(0, Console.WindowWidth - 1)));
                if (last) { Console.Error.WriteLine(); _stage = null; }
            }
            else
            {
                Console.Error.WriteLine(line);
            }
        }
    }

    public static string Format(double seconds)
    {
        if (double.IsNaN(seconds) || double.IsInfinity(seconds)) return "?";
        var t = TimeSpan.FromSeconds(seconds);
        return t.TotalHours >= 1 ? $"{(int)t.TotalHours}h{t.Minutes:D2}m" : t.TotalMinutes >= 1 ? $"{t.Minutes}m{t.Seconds:D2}s" : $"{t.TotalSeconds:F1}s";
    }
}

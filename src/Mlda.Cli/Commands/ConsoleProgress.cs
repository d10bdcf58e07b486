using System.Diagnostics;
using Mlda.Core;

namespace Mlda.Cli.Commands;

/// <summary>
/// Progress on stderr: one live line that rewrites itself on a terminal (cut to the terminal's width, so it never
/// wraps), and one line every few seconds when the output is a log file (CI), with rate and ETA either way. Messages
/// of the job go through <see cref="WriteLine"/>, so that they do not run into the live line.
/// </summary>
public sealed class ConsoleProgress : IProgress<ProgressUpdate>
{
    readonly Stopwatch _clock = Stopwatch.StartNew();
    readonly object _gate = new();
    readonly bool _interactive = !Console.IsErrorRedirected;
    string? _stage;
    double _stageStart;
    double _lastPrint = double.NegativeInfinity;
    bool _liveLineShown;

    /// <summary>A message on its own line; on a terminal the live progress line is cleared first and drawn again at the next update.</summary>
    public void WriteLine(string message)
    {
        lock (_gate)
        {
            if (_liveLineShown) Console.Error.Write("\r" + new string(' ', Width) + "\r");
            _liveLineShown = false;
            _lastPrint = double.NegativeInfinity;
            Console.Error.WriteLine(message);
        }
    }

    static int Width => Math.Max(20, (Console.IsErrorRedirected ? 120 : SafeWindowWidth()) - 1);

    static int SafeWindowWidth()
    {
        try { return Console.WindowWidth > 0 ? Console.WindowWidth : 120; }
        catch (IOException) { return 120; }
    }

    public void Report(ProgressUpdate u)
    {
        lock (_gate)
        {
            double now = _clock.Elapsed.TotalSeconds;
            if (u.Stage != _stage)
            {
                if (_liveLineShown) Console.Error.WriteLine();
                _liveLineShown = false;
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
                int width = Width;
                Console.Error.Write("\r" + (line.Length > width ? line[..width] : line.PadRight(width)));
                _liveLineShown = true;
                if (last) { Console.Error.WriteLine(); _stage = null; _liveLineShown = false; }
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

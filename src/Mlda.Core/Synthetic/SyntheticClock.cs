using System.Globalization;

namespace Mlda.Core.Synthetic;

/// <summary>
/// Timestamps of a synthetic drive at exactly 10 Hz, written as KITTI's <c>timestamps.txt</c> lines
/// (<c>YYYY-MM-DD HH:MM:SS.fffffffff</c>, nanoseconds, LF). The offsets between streams mimic the real
/// 2011_09_26 sample: the Velodyne turn is centred about 10 ms before the camera trigger and lasts 100 ms,
/// the oxts packet follows about 7 ms after it.
/// </summary>
internal sealed class SyntheticClock
{
    const long NsPerFrame = 100_000_000;
    readonly DateTime _day;
    readonly long _startNs;

    public SyntheticClock(string date, int drive)
    {
        _day = DateTime.ParseExact(date, "yyyy_MM_dd", CultureInfo.InvariantCulture);
        // drives start ten minutes apart from noon, at an arbitrary sub-second phase
        _startNs = (12L * 3600 + 600L * drive) * 1_000_000_000L + 327_963_904L;
    }

    public string Camera(int frame) => Format(_startNs + frame * NsPerFrame);
    public string Oxts(int frame) => Format(_startNs + frame * NsPerFrame + 7_128_428);
    public string Velodyne(int frame) => Format(_startNs + frame * NsPerFrame - 10_551_129);
    public string VelodyneStart(int frame) => Format(_startNs + frame * NsPerFrame - 10_551_129 - NsPerFrame / 2);
    public string VelodyneEnd(int frame) => Format(_startNs + frame * NsPerFrame - 10_551_129 + NsPerFrame / 2);

    string Format(long ns)
    {
        var t = _day.AddTicks(ns / 100);
        return t.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + "." + (ns % 1_000_000_000L).ToString("D9", CultureInfo.InvariantCulture);
    }

    public static string File(int frames, Func<int, string> line) =>
        string.Concat(Enumerable.Range(0, frames).Select(k => line(k) + "\n"));
}

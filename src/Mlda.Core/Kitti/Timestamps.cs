using System.Globalization;

namespace Mlda.Core.Kitti;

/// <summary>
/// A KITTI <c>timestamps.txt</c>: one <c>YYYY-MM-DD HH:MM:SS.fffffffff</c> per frame (nanoseconds). DateTime holds
/// 100 ns ticks, so the last two digits are dropped (pykitti drops three).
/// </summary>
public static class Timestamps
{
    public static IReadOnlyList<DateTime> Read(string path)
    {
        if (!File.Exists(path)) throw new InputException(path, "timestamps file not found");
        var result = new List<DateTime>();
        int lineNo = 0;
        foreach (var raw in File.ReadLines(path))
        {
            lineNo++;
            var line = raw.Trim();
            if (line.Length == 0) continue;
            result.Add(Parse(line) ?? throw new InputException(path, $"expected 'YYYY-MM-DD HH:MM:SS.fffffffff', got '{line}'", lineNo));
        }
        return result;
    }

    /// <summary>Parses one timestamp; null when malformed.</summary>
    public static DateTime? Parse(string text)
    {
        int dot = text.IndexOf('.');
        string main = dot < 0 ? text : text[..dot];
        string frac = dot < 0 ? "" : text[(dot + 1)..];
        if (frac.Any(c => c is < '0' or > '9') || frac.Length > 9) return null;
        if (!DateTime.TryParseExact(main, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t))
            return null;
        long ticks = frac.Length == 0 ? 0 : long.Parse(frac.PadRight(9, '0')[..7], CultureInfo.InvariantCulture);
        return DateTime.SpecifyKind(t.AddTicks(ticks), DateTimeKind.Utc);
    }
}

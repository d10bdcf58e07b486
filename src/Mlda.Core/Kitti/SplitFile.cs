using System.Globalization;
using System.Text;
using Mlda.Core.IO;

namespace Mlda.Core.Kitti;

/// <summary>
/// monodepth2 split files (<c>splits/&lt;split&gt;/*_files.txt</c>). Lines are split on whitespace. With three
/// tokens the frame is <c>int(token 2)</c>, so padded (<c>0000000069</c>) and unpadded (<c>69</c>) numbers are the
/// same; the side is l, r, 2 or 3. With fewer than three tokens monodepth2's <c>MonoDataset.__getitem__</c> uses
/// frame 0 and no side (the second token is ignored), and so does this reader. Blank lines are skipped; four or more
/// tokens, a frame that is not a non-negative integer or an unknown side are errors naming the file and line.
/// </summary>
public static class SplitFile
{
    public static IReadOnlyList<SplitEntry> Read(string path)
    {
        if (!File.Exists(path)) throw new InputException(path, "split file not found");
        var entries = new List<SplitEntry>();
        int lineNo = 0;
        foreach (var raw in File.ReadLines(path))
        {
            lineNo++;
            var tokens = raw.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (tokens.Length == 0) continue;
            if (tokens.Length > 3)
                throw new InputException(path, $"expected '<folder> <frame> <side>', got {tokens.Length} tokens", lineNo);
            if (tokens.Length < 3)
            {
                entries.Add(new SplitEntry(tokens[0], 0, null, lineNo));
                continue;
            }
            if (!int.TryParse(tokens[1], NumberStyles.None, CultureInfo.InvariantCulture, out var frame))
                throw new InputException(path, $"frame '{tokens[1]}' is not a non-negative integer", lineNo);
            if (tokens[2].Length != 1 || "lr23".IndexOf(tokens[2][0]) < 0)
                throw new InputException(path, $"side '{tokens[2]}' is not one of l, r, 2, 3", lineNo);
            entries.Add(new SplitEntry(tokens[0], frame, tokens[2][0], lineNo));
        }
        return entries;
    }

    /// <summary>
    /// Writes one line per entry, atomically. <paramref name="padFrames"/> writes 10-digit frame numbers like
    /// <c>eigen/test_files.txt</c>; otherwise unpadded like the training splits.
    /// </summary>
    public static void Write(string path, IEnumerable<SplitEntry> entries, bool padFrames = false)
    {
        var sb = new StringBuilder();
        foreach (var e in entries)
        {
            var frame = padFrames ? e.FrameIndex.ToString("D10", CultureInfo.InvariantCulture) : e.FrameIndex.ToString(CultureInfo.InvariantCulture);
            sb.Append(e.Folder).Append(' ').Append(frame);
            if (e.Side is { } side) sb.Append(' ').Append(side);
            sb.Append('\n');
        }
        AtomicFile.WriteAllText(path, sb.ToString());
    }
}

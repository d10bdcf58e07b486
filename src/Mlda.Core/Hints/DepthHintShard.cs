using System.Globalization;
using System.Text;

namespace Mlda.Core.Hints;

/// <summary>
/// The <see cref="Index"/>-th of <see cref="Count"/> disjoint parts of a hint job (<c>--shard I/N</c>), so that one
/// split is made by many machines at once (a Kubernetes Indexed Job: one pod per index). An item's part is a hash of
/// its name (folder, frame, side), not of its position, so it does not depend on the order or the rest of the list:
/// a re-run, a resumed run or a longer list puts every image in the same part again.
/// </summary>
public sealed record DepthHintShard(int Index, int Count)
{
    public static readonly DepthHintShard All = new(0, 1);

    /// <summary>Parses "I/N" with 0 ≤ I &lt; N.</summary>
    public static DepthHintShard Parse(string text)
    {
        var parts = text.Split('/');
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            || count < 1 || index >= count)
            throw new InputException("--shard", $"expected I/N with 0 <= I < N (e.g. 0/4), got '{text}'");
        return new DepthHintShard(index, count);
    }

    public bool Contains(DepthHintItem item) => Count == 1 || (int)(Fnv1a(item.ToString()) % (ulong)Count) == Index;

    /// <summary>The items of this part, in their order.</summary>
    public IReadOnlyList<DepthHintItem> Select(IReadOnlyList<DepthHintItem> items) => Count == 1 ? items : [.. items.Where(Contains)];

    // FNV-1a (64 bit) of the UTF-8 name: fixed by definition, unlike string.GetHashCode, which changes per process.
    static ulong Fnv1a(string s)
    {
        ulong h = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(s)) { h ^= b; h *= 1099511628211UL; }
        return h;
    }

    public override string ToString() => $"{Index}/{Count}";
}

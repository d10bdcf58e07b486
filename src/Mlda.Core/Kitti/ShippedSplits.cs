namespace Mlda.Core.Kitti;

/// <summary>
/// The split lists that ship with the project (<c>splits/&lt;name&gt;/&lt;role&gt;_files.txt</c>, monodepth2's layout,
/// the folder the reference's <c>trainer.py</c> reads as <c>splits/{split}/{train|val}_files.txt</c>). They are found
/// next to the installed program or in a folder above it (the repository root when run from a build), never relative
/// to the current directory, so <c>--split eigen_full</c> means the same list wherever it is typed.
/// </summary>
public static class ShippedSplits
{
    public const string FolderName = "splits";

    /// <summary>The shipped <c>splits</c> folder: the first one with its README next to or above the program.</summary>
    public static string Root(string? start = null)
    {
        for (var dir = new DirectoryInfo(start ?? AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, FolderName);
            if (System.IO.File.Exists(Path.Combine(candidate, "README.md"))) return candidate;
        }
        throw new InputException(Path.Combine(start ?? AppContext.BaseDirectory, FolderName), "no shipped splits folder next to or above the program (use --split-file or --split-dir)");
    }

    /// <summary>The names of the shipped splits (the sub-folders).</summary>
    public static IReadOnlyList<string> Names(string? root = null) =>
        Directory.GetDirectories(root ?? Root()).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToArray();

    /// <summary>The folder of a shipped split, e.g. <c>eigen_full</c> (holds train_files.txt, val_files.txt).</summary>
    public static string Folder(string name, string? root = null)
    {
        root ??= Root();
        var dir = Path.Combine(root, name);
        if (name.Length == 0 || name.IndexOfAny(['/', '\\']) >= 0 || name.StartsWith('.') || !Directory.Exists(dir))
            throw new InputException(dir, $"no shipped split '{name}' (there are: {string.Join(", ", Names(root))})");
        return dir;
    }

    /// <summary>
    /// The list of a shipped split with the first of <paramref name="roles"/> it has (e.g. "test", then "val"):
    /// <c>&lt;name&gt;/&lt;role&gt;_files.txt</c>.
    /// </summary>
    public static string File(string name, params string[] roles)
    {
        var dir = Folder(name);
        foreach (var role in roles)
        {
            var path = Path.Combine(dir, role + "_files.txt");
            if (System.IO.File.Exists(path)) return path;
        }
        throw new InputException(dir, $"the split has no {string.Join(" or ", roles.Select(r => r + "_files.txt"))}");
    }

    /// <summary>Every list of a shipped split (train, val, test, ...), in name order.</summary>
    public static IReadOnlyList<string> Files(string name) =>
        Directory.GetFiles(Folder(name), "*_files*.txt").Order(StringComparer.Ordinal).ToArray();
}

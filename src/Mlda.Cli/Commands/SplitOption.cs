using System.CommandLine;
using Mlda.Core;
using Mlda.Core.Kitti;

namespace Mlda.Cli.Commands;

/// <summary>
/// <c>--split NAME</c>: a split that ships with the project (<see cref="ShippedSplits"/>), the one option the train,
/// eval, hints and export-gt commands share; their <c>--split-file</c> / <c>--split-dir</c> name one's own lists.
/// </summary>
public static class SplitOption
{
    public static Option<string?> Create(string uses) => new("--split")
    {
        Description = $"a shipped split by name (eigen, eigen_zhou, eigen_full, eigen_lite, eigen_benchmark, benchmark, odom): {uses}",
    };

    /// <summary>The split file given by <paramref name="file"/>, or else the named split's first list of <paramref name="roles"/>.</summary>
    public static string FileOf(string? file, string? name, params string[] roles)
    {
        if (file is not null && name is not null) throw new InputException(file, "give --split-file or --split, not both");
        return file ?? (name is not null ? ShippedSplits.File(name, roles) : throw new InputException(null, "give --split-file or --split"));
    }
}

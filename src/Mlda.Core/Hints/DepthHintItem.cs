using Mlda.Core.Kitti;

namespace Mlda.Core.Hints;

/// <summary>
/// One hint to make: the image of <paramref name="Side"/> at <paramref name="Frame"/> of the drive
/// <paramref name="Folder"/> (monodepth2's key, e.g. <c>2011_09_26/2011_09_26_drive_0002_sync</c>, relative to the
/// data root; empty when the data root is itself a drive).
/// </summary>
public sealed record DepthHintItem(string Folder, int Frame, StereoSide Side)
{
    /// <summary>depth-hints' file: <c>&lt;out&gt;/&lt;folder&gt;/image_02|image_03/&lt;frame:010d&gt;.npy</c>.</summary>
    public string OutputPath(string outputRoot) =>
        Path.Combine(outputRoot, Folder, $"image_0{Side.Camera()}", KittiRawLayout.FrameName(Frame) + ".npy");

    public string BaseImagePath(string dataRoot) => KittiRawLayout.ImagePath(dataRoot, Folder, Side.Camera(), Frame);

    public string OtherImagePath(string dataRoot) => KittiRawLayout.ImagePath(dataRoot, Folder, Side.Other().Camera(), Frame);

    public override string ToString() => $"{(Folder.Length == 0 ? "." : Folder)} {KittiRawLayout.FrameName(Frame)} {Side.Letter()}";

    /// <summary>
    /// The items of a split file's lines, in file order (depth-hints makes one hint per line; a line without a
    /// side is the left image, as monodepth2 reads it).
    /// </summary>
    public static IReadOnlyList<DepthHintItem> FromSplit(IEnumerable<SplitEntry> entries) =>
        [.. entries.Select(e => new DepthHintItem(e.Folder, e.FrameIndex, e.Camera == 3 ? StereoSide.Right : StereoSide.Left))];

    /// <summary>
    /// Both sides of every frame that has a left and a right colour image (<c>image_02/data</c> and
    /// <c>image_03/data</c>, .png or .jpg) in every drive found under <paramref name="dataRoot"/>: the KITTI raw
    /// layout (<c>&lt;date&gt;/&lt;drive&gt;</c>), a single date folder or a single drive folder. Sorted by
    /// folder, frame, side. <paramref name="skipDir"/> (the output folder) is not searched.
    /// </summary>
    public static IReadOnlyList<DepthHintItem> AllFrames(string dataRoot, string? skipDir = null)
    {
        if (!Directory.Exists(dataRoot)) throw new InputException(dataRoot, "data folder not found");
        var root = Path.GetFullPath(dataRoot);
        var skip = skipDir is null ? null : Path.GetFullPath(skipDir).TrimEnd(Path.DirectorySeparatorChar);
        var items = new List<DepthHintItem>();
        foreach (var drive in DriveFolders(root, skip, depth: 0).Order(StringComparer.Ordinal))
        {
            var folder = Path.GetRelativePath(root, drive).Replace(Path.DirectorySeparatorChar, '/');
            if (folder == ".") folder = "";
            var left = FrameNumbers(KittiRawLayout.ImageDir(root, folder, 2));
            var right = FrameNumbers(KittiRawLayout.ImageDir(root, folder, 3));
            foreach (var frame in left.Intersect(right).Order())
            {
                items.Add(new DepthHintItem(folder, frame, StereoSide.Left));
                items.Add(new DepthHintItem(folder, frame, StereoSide.Right));
            }
        }
        if (items.Count == 0)
            throw new InputException(dataRoot, "no drive with both image_02/data and image_03/data images found (KITTI raw layout: <date>/<drive>/image_0x/data/<frame:010d>.png)");
        return items;
    }

    static IEnumerable<string> DriveFolders(string dir, string? skip, int depth)
    {
        if (skip is not null && string.Equals(dir.TrimEnd(Path.DirectorySeparatorChar), skip, StringComparison.Ordinal)) yield break;
        if (Directory.Exists(Path.Combine(dir, "image_02", "data")) && Directory.Exists(Path.Combine(dir, "image_03", "data")))
        {
            yield return dir;
            yield break;
        }
        if (depth >= 3) yield break;
        foreach (var sub in Directory.EnumerateDirectories(dir))
        {
            if (Path.GetFileName(sub).StartsWith('.')) continue;
            foreach (var d in DriveFolders(sub, skip, depth + 1)) yield return d;
        }
    }

    static HashSet<int> FrameNumbers(string imageDir)
    {
        var frames = new HashSet<int>();
        foreach (var file in Directory.EnumerateFiles(imageDir))
        {
            var ext = Path.GetExtension(file).ToLowerInvariant();
            if (!KittiRawLayout.ImageExtensions.Contains(ext)) continue;
            var stem = Path.GetFileNameWithoutExtension(file);
            if (stem.Length == 10 && stem.All(char.IsAsciiDigit)) frames.Add(int.Parse(stem, System.Globalization.CultureInfo.InvariantCulture));
        }
        return frames;
    }
}

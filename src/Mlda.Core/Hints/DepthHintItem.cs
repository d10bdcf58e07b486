using Mlda.Core.Kitti;

namespace Mlda.Core.Hints;

/// <summary>How a folder holds its stereo pairs.</summary>
public enum StereoFolderLayout
{
    /// <summary>
    /// KITTI raw (what depth-hints reads): <c>&lt;folder&gt;/image_02|image_03/data/&lt;frame:010d&gt;.png|jpg</c>;
    /// hints go to <c>&lt;out&gt;/&lt;folder&gt;/image_02|image_03/&lt;frame:010d&gt;.npy</c>.
    /// </summary>
    KittiRaw,

    /// <summary>
    /// KITTI stereo benchmark (2015 and the stereo/flow 2012 colour set): <c>&lt;folder&gt;/image_2|image_3/&lt;name&gt;.png</c>,
    /// e.g. <c>training/image_2/000000_10.png</c>; hints go to <c>&lt;out&gt;/&lt;folder&gt;/image_2|image_3/&lt;name&gt;.npy</c>.
    /// </summary>
    KittiStereo,
}

/// <summary>
/// One hint to make: the image of <paramref name="Side"/> named <paramref name="Frame"/> (file name without
/// extension: the 10-digit frame number in KITTI raw) in <paramref name="Folder"/> (relative to the data root with
/// '/', e.g. monodepth2's <c>2011_09_26/2011_09_26_drive_0002_sync</c>; empty when the data root is the folder).
/// </summary>
public sealed record DepthHintItem(string Folder, string Frame, StereoSide Side, StereoFolderLayout Layout = StereoFolderLayout.KittiRaw)
{
    /// <summary>A KITTI raw frame by number.</summary>
    public DepthHintItem(string folder, int frame, StereoSide side)
        : this(folder, KittiRawLayout.FrameName(frame), side, StereoFolderLayout.KittiRaw) { }

    /// <summary>Image extensions tried in order (PNG, the lossless original, before monodepth2's JPEG conversion).</summary>
    public static IReadOnlyList<string> ImageExtensions => KittiRawLayout.ImageExtensions;

    /// <summary>The camera folder of a side: image_02/image_03 (raw) or image_2/image_3 (stereo benchmark).</summary>
    public static string CameraFolder(StereoSide side, StereoFolderLayout layout) =>
        layout == StereoFolderLayout.KittiRaw ? $"image_0{side.Camera()}" : $"image_{side.Camera()}";

    static string ImageDir(string dataRoot, string folder, StereoSide side, StereoFolderLayout layout) =>
        layout == StereoFolderLayout.KittiRaw
            ? Path.Combine(dataRoot, folder, CameraFolder(side, layout), "data")
            : Path.Combine(dataRoot, folder, CameraFolder(side, layout));

    /// <summary>depth-hints' file: <c>&lt;out&gt;/&lt;folder&gt;/image_02|image_03/&lt;frame&gt;.npy</c>.</summary>
    public string OutputPath(string outputRoot) => Path.Combine(outputRoot, Folder, CameraFolder(Side, Layout), Frame + ".npy");

    public string BaseImagePath(string dataRoot) => ImagePath(dataRoot, Side);

    public string OtherImagePath(string dataRoot) => ImagePath(dataRoot, Side.Other());

    string ImagePath(string dataRoot, StereoSide side)
    {
        var stem = Path.Combine(ImageDir(dataRoot, Folder, side, Layout), Frame);
        foreach (var ext in ImageExtensions)
            if (File.Exists(stem + ext)) return stem + ext;
        throw new InputException(stem + ".png", "image not found (neither .png nor .jpg)");
    }

    public override string ToString() => $"{(Folder.Length == 0 ? "." : Folder)} {Frame} {Side.Letter()}";

    /// <summary>
    /// The items of a split file's lines, in file order (depth-hints makes one hint per line; a line without a
    /// side is the left image, as monodepth2 reads it). Split files name KITTI raw frames.
    /// </summary>
    public static IReadOnlyList<DepthHintItem> FromSplit(IEnumerable<SplitEntry> entries) =>
        [.. entries.Select(e => new DepthHintItem(e.Folder, e.FrameIndex, e.Camera == 3 ? StereoSide.Right : StereoSide.Left))];

    /// <summary>The items of several split files (a split's train, val and test lists), each image once, in first-seen order.</summary>
    public static IReadOnlyList<DepthHintItem> FromSplits(IEnumerable<IEnumerable<SplitEntry>> lists) =>
        [.. lists.SelectMany(FromSplit).Distinct()];

    /// <summary>
    /// Both sides of every frame that has a left and a right colour image, in every folder found under
    /// <paramref name="dataRoot"/> (searched 3 levels deep): KITTI raw drives (<c>image_02/data</c> +
    /// <c>image_03/data</c>; the root may be the raw root, a date folder or a drive) and KITTI stereo benchmark
    /// folders (<c>image_2</c> + <c>image_3</c>). Sorted by folder, frame, side. <paramref name="skipDir"/> (the
    /// output folder) is not searched.
    /// </summary>
    public static IReadOnlyList<DepthHintItem> AllFrames(string dataRoot, string? skipDir = null)
    {
        if (!Directory.Exists(dataRoot)) throw new InputException(dataRoot, "data folder not found");
        var root = Path.GetFullPath(dataRoot);
        var skip = skipDir is null ? null : Path.GetFullPath(skipDir).TrimEnd(Path.DirectorySeparatorChar);
        var items = new List<DepthHintItem>();
        foreach (var (dir, layout) in StereoFolders(root, skip, depth: 0).OrderBy(f => f.Dir, StringComparer.Ordinal))
        {
            var folder = Path.GetRelativePath(root, dir).Replace(Path.DirectorySeparatorChar, '/');
            if (folder == ".") folder = "";
            var left = FrameNames(ImageDir(root, folder, StereoSide.Left, layout), layout);
            var right = FrameNames(ImageDir(root, folder, StereoSide.Right, layout), layout);
            foreach (var frame in left.Intersect(right).Order(StringComparer.Ordinal))
            {
                items.Add(new DepthHintItem(folder, frame, StereoSide.Left, layout));
                items.Add(new DepthHintItem(folder, frame, StereoSide.Right, layout));
            }
        }
        if (items.Count == 0)
            throw new InputException(dataRoot, "no stereo images found: expected KITTI raw drives (<date>/<drive>/image_02|image_03/data/<frame:010d>.png) " +
                                               "or KITTI stereo folders (image_2|image_3/<name>.png)");
        return items;
    }

    static IEnumerable<(string Dir, StereoFolderLayout Layout)> StereoFolders(string dir, string? skip, int depth)
    {
        if (skip is not null && string.Equals(dir.TrimEnd(Path.DirectorySeparatorChar), skip, StringComparison.Ordinal)) yield break;
        foreach (var layout in new[] { StereoFolderLayout.KittiRaw, StereoFolderLayout.KittiStereo })
        {
            if (Directory.Exists(ImageDir(dir, "", StereoSide.Left, layout)) && Directory.Exists(ImageDir(dir, "", StereoSide.Right, layout)))
            {
                yield return (dir, layout);
                yield break;
            }
        }
        if (depth >= 3) yield break;
        foreach (var sub in Directory.EnumerateDirectories(dir))
        {
            if (Path.GetFileName(sub).StartsWith('.')) continue;
            foreach (var d in StereoFolders(sub, skip, depth + 1)) yield return d;
        }
    }

    static HashSet<string> FrameNames(string imageDir, StereoFolderLayout layout)
    {
        var frames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(imageDir))
        {
            var ext = Path.GetExtension(file).ToLowerInvariant();
            if (!ImageExtensions.Contains(ext)) continue;
            var stem = Path.GetFileNameWithoutExtension(file);
            if (stem.StartsWith('.')) continue;
            if (layout == StereoFolderLayout.KittiRaw && !(stem.Length == 10 && stem.All(char.IsAsciiDigit))) continue;
            frames.Add(stem);
        }
        return frames;
    }
}

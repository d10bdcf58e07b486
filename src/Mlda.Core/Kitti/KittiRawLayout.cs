using System.Globalization;

namespace Mlda.Core.Kitti;

/// <summary>
/// Paths inside a KITTI raw data root (<c>&lt;data&gt;/&lt;date&gt;/&lt;date&gt;_drive_XXXX_sync/...</c>), with
/// monodepth2's folder keys (<c>"2011_09_26/2011_09_26_drive_0002_sync"</c>) and 10-digit zero-padded frame names.
/// </summary>
public static class KittiRawLayout
{
    /// <summary>
    /// Image extensions tried in order. PNG first: it is the original lossless KITTI release, and monodepth2's .jpg
    /// files are a lossy conversion of it (its README's <c>convert -quality 92</c>); a root converted to .jpg only is
    /// still found.
    /// </summary>
    public static IReadOnlyList<string> ImageExtensions { get; } = [".png", ".jpg"];

    public static string FrameName(int frame) => frame.ToString("D10", CultureInfo.InvariantCulture);

    /// <summary>The date folder holding the calibration files: <c>folder.split("/")[0]</c>.</summary>
    public static string CalibrationDir(string dataRoot, string folder) => Path.Combine(dataRoot, folder.Split('/')[0]);

    /// <summary>KITTI camera of a monodepth2 side: l/2 → 2, r/3 → 3.</summary>
    public static int CameraOf(char side) => side switch
    {
        'l' or '2' => 2,
        'r' or '3' => 3,
        _ => throw new ArgumentOutOfRangeException(nameof(side), side, "side must be l, r, 2 or 3"),
    };

    /// <summary>The folder of camera 0..3's images: <c>&lt;folder&gt;/image_0c/data</c>.</summary>
    public static string ImageDir(string dataRoot, string folder, int camera)
    {
        if (camera is < 0 or > 3) throw new ArgumentOutOfRangeException(nameof(camera), camera, "KITTI cameras are 0..3");
        return Path.Combine(dataRoot, folder, $"image_0{camera}", "data");
    }

    /// <summary>The image of a frame, trying <see cref="ImageExtensions"/> in order; null when none exists.</summary>
    public static string? FindImage(string dataRoot, string folder, int camera, int frame)
    {
        var stem = Path.Combine(ImageDir(dataRoot, folder, camera), FrameName(frame));
        foreach (var ext in ImageExtensions)
            if (File.Exists(stem + ext)) return stem + ext;
        return null;
    }

    /// <summary>The image of a frame (.png or .jpg); missing is an InputException naming the path looked for.</summary>
    public static string ImagePath(string dataRoot, string folder, int camera, int frame) =>
        FindImage(dataRoot, folder, camera, frame)
        ?? throw new InputException(Path.Combine(ImageDir(dataRoot, folder, camera), FrameName(frame)) + ".png",
                                    "image not found (neither .png nor .jpg)");

    /// <summary>The image of a side l/r (or 2/3) at a frame.</summary>
    public static string ImagePath(string dataRoot, string folder, char side, int frame) =>
        ImagePath(dataRoot, folder, CameraOf(side), frame);

    public static string VelodynePath(string dataRoot, string folder, int frame) =>
        Path.Combine(dataRoot, folder, "velodyne_points", "data", FrameName(frame) + ".bin");

    public static string OxtsPath(string dataRoot, string folder, int frame) =>
        Path.Combine(dataRoot, folder, "oxts", "data", FrameName(frame) + ".txt");

    /// <summary><c>timestamps.txt</c> of a stream: "image_00".."image_03", "oxts" or "velodyne_points".</summary>
    public static string TimestampsPath(string dataRoot, string folder, string stream) =>
        Path.Combine(dataRoot, folder, stream, "timestamps.txt");

    /// <summary>The existing Velodyne scan of a frame; missing is an InputException.</summary>
    public static string RequireVelodyne(string dataRoot, string folder, int frame)
    {
        var p = VelodynePath(dataRoot, folder, frame);
        return File.Exists(p) ? p : throw new InputException(p, "Velodyne scan not found");
    }
}

namespace Mlda.Core.Synthetic;

/// <summary>
/// What <see cref="SyntheticDataset.Generate"/> renders. Defaults: 3 drives (the last one only for the test
/// split) of 40 frames at KITTI's 1242x375, seed 0, date folder 2024_06_01 (no real KITTI date, so synthetic
/// and real drives can share a data root); <c>Focal</c> (pixels) replaces KITTI's focal length, scaled with the width.
/// </summary>
public sealed record SyntheticDatasetOptions(
    int Drives = 3,
    int Frames = 40,
    int Seed = 0,
    int Width = SyntheticRig.ReferenceWidth,
    int Height = SyntheticRig.ReferenceHeight,
    string Date = "2024_06_01",
    int? Threads = null,
    double? Focal = null)
{
    /// <summary>The camera rig these options render with (KITTI's focal length scaled with the width unless <see cref="Focal"/>).</summary>
    public SyntheticRig Rig => new(Width, Height, Focal);

    public void Validate()
    {
        if (Drives < 2) throw new InputException(null, $"--drives must be at least 2 (training drives plus one test drive), got {Drives}");
        if (Drives > 9999) throw new InputException(null, $"--drives must be at most 9999, got {Drives}");
        if (Frames < 3) throw new InputException(null, $"--frames must be at least 3 (a frame with both temporal neighbours), got {Frames}");
        if (Width < 16 || Height < 16 || Width > 8192 || Height > 8192)
            throw new InputException(null, $"image size {Width}x{Height} is outside 16..8192");
        if (Focal is { } f && !(f > 0 && f < 100 * Width)) throw new InputException(null, $"--focal must be a positive focal length in pixels, got {f}");
        if (Threads is < 1) throw new InputException(null, $"--threads must be positive, got {Threads}");
        if (!DateTime.TryParseExact(Date, "yyyy_MM_dd", System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.None, out _))
            throw new InputException(null, $"date '{Date}' is not yyyy_MM_dd");
    }

    /// <summary>The monodepth2 folder key of drive <paramref name="drive"/> (1-based).</summary>
    public string Folder(int drive) => $"{Date}/{Date}_drive_{drive:D4}_sync";

    /// <summary>The drive held out for <c>test_files.txt</c>: the last one.</summary>
    public int TestDrive => Drives;
}

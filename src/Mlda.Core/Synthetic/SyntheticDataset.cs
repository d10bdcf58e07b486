using System.Diagnostics;
using System.Text.Json;
using Mlda.Core.Imaging;
using Mlda.Core.IO;
using Mlda.Core.Kitti;

namespace Mlda.Core.Synthetic;

/// <summary>What a <see cref="SyntheticDataset.Generate"/> run did, with its timing.</summary>
public sealed record SyntheticDatasetSummary(int FramesRendered, int FramesSkipped, double RenderSeconds, double WriteSeconds)
{
    public double SecondsPerFrame => FramesRendered == 0 ? 0 : (RenderSeconds + WriteSeconds) / FramesRendered;
}

/// <summary>
/// Writes synthetic drives in the exact KITTI raw layout (calibration, four cameras, Velodyne, oxts, timestamps)
/// plus monodepth2 split files, and one folder that is NOT part of KITTI:
/// <c>&lt;drive&gt;/synthetic_depth/image_02/&lt;frame:010d&gt;.npy</c>, the exact depth of image_02 (camera z in metres,
/// float32, shape (H, W), 0 where the pixel sees the sky = no depth, like KITTI's 0 = no ground truth).
/// Resumable: every file is written atomically and a frame whose files all exist is not rendered again;
/// <c>synthetic.json</c> records the options so a resume with different ones is refused.
/// </summary>
public static class SyntheticDataset
{
    public const string DepthFolder = "synthetic_depth";
    public const string ManifestFile = "synthetic.json";
    public static readonly string[] ImageStreams = { "image_00", "image_01", "image_02", "image_03" };

    public static string DepthPath(string root, string folder, int frame) =>
        Path.Combine(root, folder, DepthFolder, "image_02", KittiRawLayout.FrameName(frame) + ".npy");

    static string ImagePath(string root, string folder, int cam, int frame) =>
        Path.Combine(KittiRawLayout.ImageDir(root, folder, cam), KittiRawLayout.FrameName(frame) + ".png");

    static IEnumerable<string> FrameFiles(string root, string folder, int frame)
    {
        for (int c = 0; c < 4; c++) yield return ImagePath(root, folder, c, frame);
        yield return KittiRawLayout.VelodynePath(root, folder, frame);
        yield return KittiRawLayout.OxtsPath(root, folder, frame);
        yield return DepthPath(root, folder, frame);
    }

    public static SyntheticDatasetSummary Generate(string outDir, SyntheticDatasetOptions options,
                                                   IProgress<ProgressUpdate>? progress = null, CancellationToken ct = default)
    {
        options.Validate();
        Directory.CreateDirectory(outDir);
        CheckManifest(outDir, options);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Threads ?? -1, CancellationToken = ct };
        var rig = options.Rig;
        var dateDir = Path.Combine(outDir, options.Date);
        AtomicFile.WriteAllText(Path.Combine(dateDir, "calib_cam_to_cam.txt"), rig.CalibCamToCam());
        AtomicFile.WriteAllText(Path.Combine(dateDir, "calib_velo_to_cam.txt"), SyntheticRig.CalibVeloToCam());
        AtomicFile.WriteAllText(Path.Combine(dateDir, "calib_imu_to_velo.txt"), SyntheticRig.CalibImuToVelo());

        int total = options.Drives * options.Frames, done = 0, rendered = 0, skipped = 0;
        var renderClock = new Stopwatch();
        var writeClock = new Stopwatch();
        var train = new List<SplitEntry>();
        var val = new List<SplitEntry>();
        var test = new List<SplitEntry>();
        for (int drive = 1; drive <= options.Drives; drive++)
        {
            var folder = options.Folder(drive);
            var synth = new SyntheticDrive(options, drive);
            WriteDriveFiles(outDir, folder, options, drive, synth);
            for (int frame = 0; frame < options.Frames; frame++)
            {
                ct.ThrowIfCancellationRequested();
                if (FrameFiles(outDir, folder, frame).All(File.Exists))
                {
                    skipped++;
                }
                else
                {
                    renderClock.Start();
                    var f = synth.Render(frame, parallel);
                    renderClock.Stop();
                    writeClock.Start();
                    WriteFrame(outDir, folder, frame, rig, f);
                    writeClock.Stop();
                    rendered++;
                }
                done++;
                progress?.Report(new ProgressUpdate("synth", done, total, $"{folder} {frame}"));
            }
            if (drive == options.TestDrive)
                for (int k = 0; k < options.Frames; k++) test.Add(new SplitEntry(folder, k, 'l', 0));
            else
                AddTrainingFrames(synth, folder, train, val);
        }
        var splits = Path.Combine(outDir, "splits");
        SplitFile.Write(Path.Combine(splits, "train_files.txt"), train);
        SplitFile.Write(Path.Combine(splits, "val_files.txt"), val);
        SplitFile.Write(Path.Combine(splits, "test_files.txt"), test, padFrames: true);
        return new SyntheticDatasetSummary(rendered, skipped, renderClock.Elapsed.TotalSeconds, writeClock.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// Frames with both temporal neighbours (monodepth2's eigen_zhou convention), both sides; frames where the
    /// vehicle stands still are left out, as Zhou's static-frame filter does; every tenth frame (5, 15, ...) goes
    /// to validation.
    /// </summary>
    static void AddTrainingFrames(SyntheticDrive drive, string folder, List<SplitEntry> train, List<SplitEntry> val)
    {
        for (int k = 1; k < drive.Frames - 1; k++)
        {
            if (drive.Travel(k - 1, k) < 0.2 || drive.Travel(k, k + 1) < 0.2) continue;
            var list = k % 10 == 5 ? val : train;
            list.Add(new SplitEntry(folder, k, 'l', 0));
            list.Add(new SplitEntry(folder, k, 'r', 0));
        }
    }

    static void WriteDriveFiles(string root, string folder, SyntheticDatasetOptions o, int drive, SyntheticDrive synth)
    {
        var clock = new SyntheticClock(o.Date, drive);
        int n = o.Frames;
        foreach (var s in ImageStreams)
            AtomicFile.WriteAllText(Path.Combine(root, folder, s, "timestamps.txt"), SyntheticClock.File(n, clock.Camera));
        var velo = Path.Combine(root, folder, "velodyne_points");
        AtomicFile.WriteAllText(Path.Combine(velo, "timestamps.txt"), SyntheticClock.File(n, clock.Velodyne));
        AtomicFile.WriteAllText(Path.Combine(velo, "timestamps_start.txt"), SyntheticClock.File(n, clock.VelodyneStart));
        AtomicFile.WriteAllText(Path.Combine(velo, "timestamps_end.txt"), SyntheticClock.File(n, clock.VelodyneEnd));
        var oxts = Path.Combine(root, folder, "oxts");
        AtomicFile.WriteAllText(Path.Combine(oxts, "timestamps.txt"), SyntheticClock.File(n, clock.Oxts));
        AtomicFile.WriteAllText(Path.Combine(oxts, "dataformat.txt"), OxtsSynthesizer.DataFormat);
        var lines = synth.OxtsLines();
        for (int k = 0; k < n; k++)
        {
            var path = KittiRawLayout.OxtsPath(root, folder, k);
            if (!File.Exists(path) || File.ReadAllText(path) != lines[k]) AtomicFile.WriteAllText(path, lines[k]);
        }
    }

    static void WriteFrame(string root, string folder, int frame, SyntheticRig rig, SyntheticFrame f)
    {
        int w = rig.Width, h = rig.Height;
        Parallel.Invoke(
            () => ImageFile.SaveRgb(ImagePath(root, folder, 0, frame), new ByteImage(h, w, 1, f.Gray0)),
            () => ImageFile.SaveRgb(ImagePath(root, folder, 1, frame), new ByteImage(h, w, 1, f.Gray1)),
            () => ImageFile.SaveRgb(ImagePath(root, folder, 2, frame), new ByteImage(h, w, 3, f.Rgb2)),
            () => ImageFile.SaveRgb(ImagePath(root, folder, 3, frame), new ByteImage(h, w, 3, f.Rgb3)),
            () =>
            {
                var bytes = new byte[f.Scan.Length * 4];
                Buffer.BlockCopy(f.Scan, 0, bytes, 0, bytes.Length); // little-endian float32, as KITTI's .bin
                AtomicFile.WriteAllBytes(KittiRawLayout.VelodynePath(root, folder, frame), bytes);
            });
        // written last: its presence marks the frame complete (the check also wants every other file)
        Npy.Write(DepthPath(root, folder, frame), new FloatMap(h, w, f.Depth2));
    }

    // Focal is null for KITTI's camera, so manifests written before it existed still match.
    sealed record Manifest(string Generator, int Drives, int Frames, int Seed, int Width, int Height, string Date, double? Focal = null);

    static void CheckManifest(string outDir, SyntheticDatasetOptions o)
    {
        var path = Path.Combine(outDir, ManifestFile);
        var mine = new Manifest("mlda synth 1", o.Drives, o.Frames, o.Seed, o.Width, o.Height, o.Date, o.Focal);
        var json = JsonSerializer.Serialize(mine, new JsonSerializerOptions { WriteIndented = true }) + "\n";
        if (File.Exists(path))
        {
            Manifest? theirs;
            try { theirs = JsonSerializer.Deserialize<Manifest>(File.ReadAllText(path)); }
            catch (JsonException e) { throw new InputException(path, $"not a synthetic-data manifest ({e.Message})"); }
            if (theirs != mine)
                throw new InputException(path, $"this folder was rendered with other options ({theirs}); use another --out or delete it");
            return;
        }
        AtomicFile.WriteAllText(path, json);
    }
}

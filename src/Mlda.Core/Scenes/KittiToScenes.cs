using System.Globalization;
using Mlda.Core.Imaging;
using Mlda.Core.IO;
using Mlda.Core.Kitti;
using Mlda.Core.Synthetic;
using Mlda.Core.Visualization;
using OpenCvSharp;

namespace Mlda.Core.Scenes;

/// <summary>How ground truth is stored in a scene folder.</summary>
public enum SceneDepthFormat
{
    /// <summary><c>depth/&lt;stem&gt;.npy</c>, float32 metres, 0 = none.</summary>
    Npy,

    /// <summary><c>depth/&lt;stem&gt;.png</c>, uint16, depth × 256 (KITTI's depth-benchmark convention).</summary>
    Png,
}

/// <summary>What <see cref="KittiToScenes.Convert"/> writes.</summary>
/// <param name="Camera">the KITTI camera whose frames make the scene (2 = left colour)</param>
/// <param name="TestDrives">the last drives (by name) listed in test.txt</param>
/// <param name="ValDrives">the drives before those, listed in val.txt</param>
/// <param name="JpegQuality">frames are written as JPEG at this quality</param>
public sealed record KittiToScenesOptions(
    SceneDepthFormat Depth = SceneDepthFormat.Npy,
    int Camera = 2,
    int TestDrives = 1,
    int ValDrives = 1,
    int JpegQuality = 95);

/// <summary>What a conversion did.</summary>
public sealed record KittiToScenesSummary(IReadOnlyList<string> Train, IReadOnlyList<string> Val, IReadOnlyList<string> Test,
                                          int Frames, int DepthMaps, string? Note);

/// <summary>
/// Turns KITTI raw drives (real ones, or <c>mlda synth</c> output, which has the same layout) into a scene folder:
/// one scene per drive, named after the drive folder, with the camera's frames as JPEG, <c>cam.txt</c> from its
/// <c>P_rect</c>, and ground truth where the drive has any: the exact synthetic depth
/// (<c>synthetic_depth/image_02</c>) when present, else the LiDAR scan projected into the camera (camera z,
/// monodepth2's <c>generate_depth_map</c>). Every file is written atomically and existing frames are kept, so an
/// interrupted conversion resumes.
/// </summary>
public static class KittiToScenes
{
    /// <summary>Drive folders (<c>&lt;date&gt;/&lt;drive&gt;</c>) of a KITTI raw root that have images of <paramref name="camera"/>, by name.</summary>
    public static IReadOnlyList<string> Drives(string dataRoot, int camera)
    {
        if (!Directory.Exists(dataRoot)) throw new InputException(dataRoot, "data folder not found");
        return Directory.EnumerateDirectories(dataRoot)
            .Where(d => File.Exists(Path.Combine(d, CameraCalibration.CamToCamFile)))
            .SelectMany(date => Directory.EnumerateDirectories(date).Select(drive => $"{Path.GetFileName(date)}/{Path.GetFileName(drive)}"))
            .Where(f => Directory.Exists(KittiRawLayout.ImageDir(dataRoot, f, camera)))
            .Order(StringComparer.Ordinal).ToList();
    }

    public static KittiToScenesSummary Convert(string dataRoot, string outRoot, KittiToScenesOptions options,
                                               IProgress<ProgressUpdate>? progress = null, CancellationToken ct = default)
    {
        if (options.Camera is < 0 or > 3) throw new InputException(null, $"--camera must be 0..3, got {options.Camera}");
        if (options.TestDrives < 0 || options.ValDrives < 0) throw new InputException(null, "--test-drives and --val-drives must not be negative");
        if (options.JpegQuality is < 1 or > 100) throw new InputException(null, $"JPEG quality must be 1..100, got {options.JpegQuality}");
        var drives = Drives(dataRoot, options.Camera);
        if (drives.Count == 0) throw new InputException(dataRoot, $"no KITTI drives with image_0{options.Camera} found (<date>/calib_cam_to_cam.txt and <date>/<drive>/image_0{options.Camera}/data)");
        var work = drives.Select(d => (Folder: d, Frames: FrameFiles(dataRoot, d, options.Camera))).ToList();
        foreach (var (folder, frames) in work)
            if (frames.Count < 3) throw new InputException(KittiRawLayout.ImageDir(dataRoot, folder, options.Camera), $"a scene needs at least 3 frames, found {frames.Count}");
        var calibs = drives.Select(d => d.Split('/')[0]).Distinct().ToDictionary(d => d, d => CameraCalibration.Load(Path.Combine(dataRoot, d)));

        int total = work.Sum(w => w.Frames.Count), done = 0, depthMaps = 0;
        foreach (var (folder, frames) in work)
        {
            var calib = calibs[folder.Split('/')[0]];
            var sceneDir = Path.Combine(outRoot, SceneName(folder));
            CameraFile.Write(Path.Combine(sceneDir, CameraFile.Name), CameraIntrinsics.FromMatrix(calib.Intrinsics(options.Camera)));
            foreach (var (frame, image) in frames)
            {
                ct.ThrowIfCancellationRequested();
                var stem = KittiRawLayout.FrameName(frame);
                var jpg = Path.Combine(sceneDir, stem + ".jpg");
                if (!File.Exists(jpg))
                {
                    using var bgr = ImageFile.LoadBgrMat(image);
                    AtomicFile.Write(jpg, tmp =>
                    {
                        if (!Cv2.ImWrite(tmp, bgr, new ImageEncodingParam(ImwriteFlags.JpegQuality, options.JpegQuality)))
                            throw new IOException($"{jpg}: OpenCV could not write the JPEG");
                    });
                }
                var depthPath = Path.Combine(sceneDir, SceneFolder.DepthFolder, stem + (options.Depth == SceneDepthFormat.Npy ? ".npy" : ".png"));
                if (!File.Exists(depthPath) && GroundTruth(dataRoot, folder, frame, options.Camera, calib) is { } depth)
                {
                    if (options.Depth == SceneDepthFormat.Npy) Npy.Write(depthPath, depth); else DepthPng.Write(depthPath, depth);
                }
                if (File.Exists(depthPath)) depthMaps++;
                progress?.Report(new ProgressUpdate("scenes", ++done, total, $"{folder} {stem}"));
            }
        }

        var names = drives.Select(SceneName).ToList();
        string? note = null;
        List<string> train, val, test;
        if (names.Count > options.TestDrives + options.ValDrives)
        {
            test = names.TakeLast(options.TestDrives).ToList();
            val = names.SkipLast(options.TestDrives).TakeLast(options.ValDrives).ToList();
            train = names.SkipLast(options.TestDrives + options.ValDrives).ToList();
        }
        else
        {
            train = names; val = names; test = names;
            note = $"{names.Count} drive(s) cannot hold out {options.TestDrives} test and {options.ValDrives} val drive(s): train.txt, val.txt and test.txt all list every scene";
        }
        void WriteSplit(string split, List<string> list)
        {
            var path = SceneLayout.SplitPath(outRoot, split);
            if (list.Count > 0) AtomicFile.WriteAllText(path, string.Concat(list.Select(n => n + "\n")));
            else if (File.Exists(path)) File.Delete(path);
        }
        WriteSplit(SceneLayout.TrainSplit, train);
        WriteSplit(SceneLayout.ValSplit, val);
        WriteSplit(SceneLayout.TestSplit, test);
        return new KittiToScenesSummary(train, val, test, total, depthMaps, note);
    }

    /// <summary>The scene of a drive folder: its last name (<c>2011_09_26_drive_0002_sync</c>).</summary>
    public static string SceneName(string folder) => folder.Split('/')[^1];

    static List<(int Frame, string Path)> FrameFiles(string dataRoot, string folder, int camera)
    {
        var list = new List<(int, string)>();
        foreach (var f in Directory.EnumerateFiles(KittiRawLayout.ImageDir(dataRoot, folder, camera)))
        {
            if (!KittiRawLayout.ImageExtensions.Contains(Path.GetExtension(f).ToLowerInvariant())) continue;
            if (int.TryParse(Path.GetFileNameWithoutExtension(f), NumberStyles.None, CultureInfo.InvariantCulture, out var frame)) list.Add((frame, f));
        }
        return list.OrderBy(x => x.Item1).ToList();
    }

    /// <summary>The exact synthetic depth where it exists (camera 2 only), else camera-z LiDAR depth, else null.</summary>
    static FloatMap? GroundTruth(string dataRoot, string folder, int frame, int camera, CameraCalibration calib)
    {
        var exact = SyntheticDataset.DepthPath(dataRoot, folder, frame);
        if (camera == 2 && File.Exists(exact)) return Npy.ReadFloatMap(exact);
        var velo = KittiRawLayout.VelodynePath(dataRoot, folder, frame);
        if (!File.Exists(velo)) return null;
        return LidarGroundTruth.Generate(calib, VelodyneScan.Read(velo), camera, velodyneDepth: false);
    }
}

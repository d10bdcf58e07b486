using Mlda.Core.Imaging;
using Mlda.Core.IO;

namespace Mlda.Core.Kitti;

/// <summary>
/// The evaluation ground truth of a split (monodepth2 <c>export_gt_depth.py</c> for the eigen split): for each line,
/// the LiDAR depth of camera 2 with Velodyne-forward depth at the date's native size, in split order. The side of a
/// line is ignored (always camera 2), as in the reference.
/// </summary>
public static class GroundTruthSet
{
    /// <summary>The npz key of a stack of same-size maps, as in monodepth2's <c>gt_depths.npz</c>.</summary>
    public const string StackKey = "data";

    /// <summary>
    /// Checks every line's calibration and scan before any work, so a split line naming a missing frame fails at
    /// once with the split file and line, then generates the maps with progress.
    /// </summary>
    public static IReadOnlyList<FloatMap> Generate(string dataRoot, IReadOnlyList<SplitEntry> split, string splitPath,
        IProgress<ProgressUpdate>? progress = null, CancellationToken cancellationToken = default)
    {
        var lazy = Open(dataRoot, split, splitPath);
        var maps = new FloatMap[split.Count];
        int done = 0;
        try
        {
            Parallel.For(0, split.Count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
            {
                maps[i] = lazy[i];
                progress?.Report(new ProgressUpdate("ground truth", Interlocked.Increment(ref done), split.Count));
            });
        }
        catch (AggregateException e) when (e.InnerExceptions.OfType<InputException>().FirstOrDefault() is { } bad)
        {
            // A bad file found by one worker is the user's error, reported as such (not as a crash).
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(bad);
        }
        return maps;
    }

    /// <summary>
    /// The same maps, checked up front like <see cref="Generate"/> but made when indexed and not kept: the full
    /// eigen split (697 maps of about 1.9 MB) is then never in memory at once during an evaluation.
    /// </summary>
    public static IReadOnlyList<FloatMap> Open(string dataRoot, IReadOnlyList<SplitEntry> split, string splitPath)
    {
        if (!Directory.Exists(dataRoot)) throw new InputException(dataRoot, "KITTI raw data folder not found");
        if (split.Count == 0) throw new InputException(splitPath, "the split file has no lines");
        var calibrations = new Dictionary<string, CameraCalibration>(StringComparer.Ordinal);
        var scans = new string[split.Count];
        var calibOf = new CameraCalibration[split.Count];
        for (int i = 0; i < split.Count; i++)
        {
            var e = split[i];
            // monodepth2's export_gt_depth.py unpacks `folder, frame_id, _ = line.split()`: all three are needed.
            if (e.Side is null)
                throw new InputException(splitPath, "expected '<folder> <frame> <side>': ground truth needs all three fields", e.Line);
            if (!calibrations.TryGetValue(e.Date, out var calib))
            {
                var dateDir = KittiRawLayout.CalibrationDir(dataRoot, e.Folder);
                if (!File.Exists(Path.Combine(dateDir, CameraCalibration.CamToCamFile)))
                    throw new InputException(splitPath, $"no calibration for '{e.Folder}': {Path.Combine(dateDir, CameraCalibration.CamToCamFile)} not found", e.Line);
                calibrations[e.Date] = calib = CameraCalibration.Load(dateDir);
            }
            calibOf[i] = calib;
            scans[i] = KittiRawLayout.VelodynePath(dataRoot, e.Folder, e.FrameIndex);
            if (!File.Exists(scans[i]))
                throw new InputException(splitPath, $"frame {e.FrameIndex} of '{e.Folder}' has no Velodyne scan ({scans[i]} not found)", e.Line);
            if (new FileInfo(scans[i]).Length == 0) throw new InputException(scans[i], "empty Velodyne scan (0 bytes)");
        }
        return new OnDemand(calibOf, scans);
    }

    sealed class OnDemand(CameraCalibration[] calibrations, string[] scans) : IReadOnlyList<FloatMap>
    {
        public FloatMap this[int index] => LidarGroundTruth.ForEvaluation(calibrations[index], scans[index]);
        public int Count => scans.Length;
        public IEnumerator<FloatMap> GetEnumerator()
        {
            for (int i = 0; i < Count; i++) yield return this[i];
        }
        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    /// <summary>
    /// Writes the maps as a compressed <c>.npz</c>, atomically. Maps of one size (any single recording date) are one
    /// float32 (N, H, W) array under "data", which monodepth2's <c>evaluate_depth.py</c> reads as its
    /// <c>gt_depths.npz</c> (it indexes <c>gt_depths[i]</c>). Mixed sizes cannot stack, and numpy's object arrays
    /// are pickles that C# cannot write or read, so each map then gets its own key "data_00000", "data_00001", …
    /// (<c>[f[k] for k in sorted(f.files)]</c> in Python).
    /// </summary>
    public static void Write(string path, IReadOnlyList<FloatMap> maps)
    {
        if (maps.Count == 0) throw new ArgumentException("no maps", nameof(maps));
        bool sameSize = maps.All(m => m.Height == maps[0].Height && m.Width == maps[0].Width);
        var entries = sameSize
            ? [new KeyValuePair<string, NpyArray>(StackKey, Npy.Stack(maps))]
            : maps.Select((m, i) => new KeyValuePair<string, NpyArray>($"{StackKey}_{i:D5}", NpyArray.FromFloat32(m.Values, m.Height, m.Width))).ToList();
        Npz.Write(path, entries, compressed: true);
    }

    /// <summary>Reads either layout of <see cref="Write"/> (and any float32 (N,H,W) "data" npz).</summary>
    public static IReadOnlyList<FloatMap> Read(string path)
    {
        var all = Npz.Read(path);
        if (all.TryGetValue(StackKey, out var stack)) return Npy.ToFloatMaps(stack, $"{path}[{StackKey}]");
        var keys = all.Keys.Where(k => k.StartsWith(StackKey + "_", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        if (keys.Count == 0) throw new InputException(path, $"no ground truth: expected key '{StackKey}' or '{StackKey}_00000'... (has: {string.Join(", ", all.Keys)})");
        return keys.Select(k => Npy.ToFloatMaps(all[k], $"{path}[{k}]") is { Count: 1 } one ? one[0]
            : throw new InputException(path, $"'{k}' is not a single (H, W) map")).ToList();
    }
}

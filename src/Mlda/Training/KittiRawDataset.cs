using System.Collections.Concurrent;
using Mlda.Core;
using Mlda.Core.Hints;
using Mlda.Core.Imaging;
using Mlda.Core.Kitti;

namespace Mlda.Training;

/// <summary>
/// KITTI raw items for training and validation (reference <c>datasets/kitti_dataset.py</c>
/// <c>KITTIRAWDataset</c>), for real and synthetic drives alike: split lines of <c>&lt;folder&gt; &lt;frame&gt;
/// &lt;side&gt;</c>, the other camera as the stereo view, KITTI's shared normalised K, hints in the depth-hints layout,
/// and two ground truths from the Velodyne scan: the Eigen evaluation's (forward distance, native size) and the
/// reference validation metric's (camera depth, skimage-resized to 375x1242, <c>get_depth</c>).
/// Lines whose temporal neighbours do not exist (sequence borders) are dropped and counted, as the reference's
/// existence filter does; lines whose target frame does not exist are dropped and reported apart.
/// </summary>
public sealed class KittiRawDataset : MonoDataset
{
    /// <summary>Why a line whose own image is missing was left out.</summary>
    public const string MissingTargets = "skipped: target frame missing";

    readonly string _dataPath;
    readonly IReadOnlyList<SplitEntry> _entries;
    readonly ConcurrentDictionary<string, CameraCalibration> _calibration = new();

    public IReadOnlyList<SplitEntry> Entries => _entries;
    public override IReadOnlyList<SkippedItems> Skipped { get; }
    public int SkippedAtBorders => SkippedItems.CountOf(Skipped, SkippedItems.SequenceBorders);
    public override int Count => _entries.Count;

    public KittiRawDataset(string dataPath, IReadOnlyList<SplitEntry> entries, DatasetOptions options, bool isTrain)
        : base(options, isTrain)
    {
        if (!Directory.Exists(dataPath)) throw new InputException(dataPath, "data folder not found");
        if (options.HintPath is not null && !Directory.Exists(options.HintPath))
            throw new InputException(options.HintPath, "depth hints folder not found");
        _dataPath = dataPath;
        var kept = new List<SplitEntry>(entries.Count);
        var borders = new List<string>();
        var missing = new List<string>();
        foreach (var e in entries)
        {
            if (KittiRawLayout.FindImage(dataPath, e.Folder, e.Camera, e.FrameIndex) is null)
                missing.Add(e.ToString());
            else if (options.Offsets.Any(o => KittiRawLayout.FindImage(dataPath, e.Folder, e.Camera, e.FrameIndex + o) is null))
                borders.Add(e.ToString());
            else
                kept.Add(e);
        }
        _entries = kept;
        Skipped = new[]
        {
            new SkippedItems(SkippedItems.SequenceBorders, borders, Warn: false),
            new SkippedItems(MissingTargets, missing, Warn: true),
        }.Where(s => s.Count > 0).ToArray();
    }

    protected override string ColorPath(int index, SourceFrame frame)
    {
        var e = _entries[index];
        return frame.IsStereo
            ? KittiRawLayout.ImagePath(_dataPath, e.Folder, e.Camera == 2 ? 3 : 2, e.FrameIndex)
            : KittiRawLayout.ImagePath(_dataPath, e.Folder, e.Camera, e.FrameIndex + frame.Offset);
    }

    protected override NormalisedIntrinsics Intrinsics(int index) => NormalisedIntrinsics.Kitti;

    protected override float StereoSideSign(int index) => _entries[index].Camera == 2 ? -1f : 1f;

    protected override string? HintPath(int index)
    {
        if (Options.HintPath is null) return null;
        var e = _entries[index];
        return new DepthHintItem(e.Folder, e.FrameIndex, e.Camera == 2 ? StereoSide.Left : StereoSide.Right).OutputPath(Options.HintPath);
    }

    protected override FloatMap? GroundTruth(int index)
    {
        var e = _entries[index];
        var velo = KittiRawLayout.VelodynePath(_dataPath, e.Folder, e.FrameIndex);
        if (!File.Exists(velo)) return null;
        // Eigen evaluation ground truth: Velodyne forward distance (export_gt_depth.py, vel_depth=True), native size.
        return LidarGroundTruth.Generate(Calibration(e.Date), VelodyneScan.Read(velo), e.Camera, velodyneDepth: true);
    }

    protected override FloatMap? ValidationGroundTruth(int index)
    {
        var e = _entries[index];
        var velo = KittiRawLayout.VelodynePath(_dataPath, e.Folder, e.FrameIndex);
        if (!File.Exists(velo)) return null;
        // The reference's validation ground truth: camera depth (vel_depth=False), skimage order-0 to 375x1242.
        return TrainingGroundTruth.Load(Calibration(e.Date), velo, e.Camera);
    }

    CameraCalibration Calibration(string date) => _calibration.GetOrAdd(date, d => CameraCalibration.Load(Path.Combine(_dataPath, d)));
}

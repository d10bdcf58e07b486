using System.Collections.Concurrent;
using Mlda.Core;
using Mlda.Core.Imaging;
using Mlda.Core.IO;
using Mlda.Core.Kitti;

namespace Mlda.Training;

/// <summary>
/// KITTI raw items for training and validation (reference <c>datasets/mono_dataset.py</c> + <c>kitti_dataset.py</c>,
/// <c>__getitem__</c>), for real and synthetic drives alike: per split line the target frame, its temporal neighbours and
/// the other camera's frame, each PIL-Lanczos-resized to the network size, the target also chained down to every
/// scale; with augmentation (training only) a horizontal flip and a colour jitter, each with p = 0.5; the depth hint
/// nearest-resized; the LiDAR ground truth at native size where asked for.
/// Lines whose temporal neighbours do not exist (sequence borders, frames not downloaded) are dropped and counted in
/// <see cref="SkippedAtBorders"/>, as the reference's existence filter does.
/// </summary>
public sealed class KittiRawDataset
{
    /// <summary>Baseline of the reference's stereo transform in network units (<c>mono_dataset.py</c> <c>stereo_T</c>): metres ≈ 5.4 × units.</summary>
    public const float StereoBaseline = 0.1f;

    readonly string _dataPath;
    readonly DatasetOptions _options;
    readonly IReadOnlyList<SplitEntry> _entries;
    readonly IReadOnlyList<SourceFrame> _sources;
    readonly ConcurrentDictionary<string, ByteImage> _imageCache = new();
    readonly ConcurrentDictionary<string, float[]> _hintCache = new();
    readonly ConcurrentDictionary<string, CameraCalibration> _calibration = new();

    public bool IsTrain { get; }
    public DatasetOptions Options => _options;
    public IReadOnlyList<SourceFrame> SourceFrames => _sources;
    public IReadOnlyList<SplitEntry> Entries => _entries;
    public int SkippedAtBorders { get; }
    public int Count => _entries.Count;

    public KittiRawDataset(string dataPath, IReadOnlyList<SplitEntry> entries, DatasetOptions options, bool isTrain)
    {
        if (!Directory.Exists(dataPath)) throw new InputException(dataPath, "data folder not found");
        if (options.Height % 32 != 0 || options.Width % 32 != 0 || options.Height <= 0 || options.Width <= 0)
            throw new ArgumentException($"height and width must be positive multiples of 32, got {options.Width}x{options.Height}");
        if (options.HintPath is not null && !Directory.Exists(options.HintPath))
            throw new InputException(options.HintPath, "depth hints folder not found");
        _dataPath = dataPath;
        _options = options;
        IsTrain = isTrain;
        _sources = SourceFrame.For(options);
        var kept = new List<SplitEntry>(entries.Count);
        int skipped = 0;
        foreach (var e in entries)
        {
            if (options.Offsets.All(o => KittiRawLayout.FindImage(dataPath, e.Folder, e.Camera, e.FrameIndex + o) is not null)
                && KittiRawLayout.FindImage(dataPath, e.Folder, e.Camera, e.FrameIndex) is not null)
                kept.Add(e);
            else
                skipped++;
        }
        _entries = kept;
        SkippedAtBorders = skipped;
    }

    /// <summary>The item at <paramref name="index"/>; augmentation draws from <paramref name="rng"/> (training only).</summary>
    public TrainingSample Get(int index, Random rng)
    {
        var e = _entries[index];
        int w = _options.Width, h = _options.Height, n = w * h;
        bool doColor = IsTrain && rng.NextDouble() > 0.5;
        bool doFlip = IsTrain && rng.NextDouble() > 0.5;
        int cam = e.Camera, otherCam = cam == 2 ? 3 : 2;

        var target = Load(e.Folder, cam, e.FrameIndex);
        var scales = new List<ByteImage>();
        var previous = target;
        for (int s = 1; s < _options.NumScales; s++)
        {
            // Chained: scale s is resized from scale s−1 (reference preprocess), not from the raw image.
            previous = PilResize.Lanczos(previous, w >> s, h >> s);
            scales.Add(previous);
        }
        var sources = _sources.Select(f => f.IsStereo
            ? Load(e.Folder, otherCam, e.FrameIndex)
            : Load(e.Folder, cam, e.FrameIndex + f.Offset)).ToArray();
        if (doFlip)
        {
            // Flipping after resizing equals resizing the flipped image: the Lanczos taps are symmetric.
            target = target.FlipHorizontal();
            scales = scales.Select(s => s.FlipHorizontal()).ToList();
            sources = sources.Select(s => s.FlipHorizontal()).ToArray();
        }

        var targetChw = ToChw(target);
        var sourcesChw = sources.Select(ToChw).ToArray();
        float[] targetAug = targetChw;
        float[][] sourcesAug = sourcesChw;
        if (doColor)
        {
            var shared = new ColorJitter(rng);
            ColorJitter Next() => _options.JitterPerImage ? new ColorJitter(rng) : shared;
            targetAug = Next().Apply(targetChw, n);
            sourcesAug = sourcesChw.Select(s => Next().Apply(s, n)).ToArray();
        }

        float[]? hint = null;
        if (_options.HintPath is not null)
        {
            hint = LoadHint(e.Folder, cam, e.FrameIndex);
            if (doFlip) hint = FlipRows(hint, h, w);
        }

        FloatMap? gt = null;
        if (_options.LoadGroundTruth) gt = LoadGroundTruth(e.Folder, e.Date, cam, e.FrameIndex, doFlip);

        float sideSign = cam == 2 ? -1f : 1f, baselineSign = doFlip ? -1f : 1f;
        return new TrainingSample
        {
            Target = targetChw,
            TargetAugmented = targetAug,
            TargetScales = scales.Select(ToChw).ToArray(),
            Sources = sourcesChw,
            SourcesAugmented = sourcesAug,
            Hint = hint,
            StereoShift = sideSign * baselineSign * StereoBaseline,
            Flipped = doFlip,
            GroundTruth = gt,
            Index = index,
        };
    }

    ByteImage Load(string folder, int camera, int frame)
    {
        var path = KittiRawLayout.ImagePath(_dataPath, folder, camera, frame);
        if (_options.CacheImages && _imageCache.TryGetValue(path, out var cached)) return cached;
        var raw = ImageFile.LoadRgb(path);
        var resized = raw.Width == _options.Width && raw.Height == _options.Height ? raw : PilResize.Lanczos(raw, _options.Width, _options.Height);
        if (_options.CacheImages) _imageCache[path] = resized;
        return resized;
    }

    /// <summary>The hint path of the depth-hints layout: &lt;hints&gt;/&lt;folder&gt;/image_0c/&lt;frame:010d&gt;.npy.</summary>
    public static string HintFile(string hintRoot, string folder, int camera, int frame) =>
        Path.Combine(hintRoot, folder, $"image_0{camera}", KittiRawLayout.FrameName(frame) + ".npy");

    float[] LoadHint(string folder, int camera, int frame)
    {
        var path = HintFile(_options.HintPath!, folder, camera, frame);
        if (_hintCache.TryGetValue(path, out var cached)) return cached;
        if (!File.Exists(path)) throw new InputException(path, "depth hint not found (run `mlda hints`, or train with --no-hints)");
        var map = Npy.ReadFloatMap(path);
        var resized = ResizeNearest(map, _options.Width, _options.Height);
        if (_options.CacheImages) _hintCache[path] = resized;
        return resized;
    }

    FloatMap? LoadGroundTruth(string folder, string date, int camera, int frame, bool flip)
    {
        var velo = KittiRawLayout.VelodynePath(_dataPath, folder, frame);
        if (!File.Exists(velo)) return null;
        var calib = _calibration.GetOrAdd(date, d => CameraCalibration.Load(Path.Combine(_dataPath, d)));
        // Eigen evaluation ground truth: Velodyne forward distance (export_gt_depth.py, vel_depth=True), native size.
        var gt = LidarGroundTruth.Generate(calib, VelodyneScan.Read(velo), camera, velodyneDepth: true);
        if (!flip) return gt;
        return new FloatMap(gt.Height, gt.Width, FlipRows(gt.Values, gt.Height, gt.Width));
    }

    /// <summary>
    /// OpenCV INTER_NEAREST (what the reference calls on hints): source index floor(dst · src/dst), no half-pixel shift.
    /// </summary>
    public static float[] ResizeNearest(FloatMap map, int width, int height)
    {
        var result = new float[width * height];
        double sx = (double)map.Width / width, sy = (double)map.Height / height;
        var cols = new int[width];
        for (int x = 0; x < width; x++) cols[x] = Math.Min((int)Math.Floor(x * sx), map.Width - 1);
        for (int y = 0; y < height; y++)
        {
            int sy0 = Math.Min((int)Math.Floor(y * sy), map.Height - 1);
            var row = map.Row(sy0);
            for (int x = 0; x < width; x++) result[y * width + x] = row[cols[x]];
        }
        return result;
    }

    static float[] FlipRows(float[] values, int height, int width)
    {
        var result = new float[values.Length];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                result[y * width + x] = values[y * width + width - 1 - x];
        return result;
    }

    static float[] ToChw(ByteImage img)
    {
        int n = img.Width * img.Height;
        var chw = new float[3 * n];
        var p = img.Pixels;
        const float inv = 1f / 255f;
        for (int i = 0; i < n; i++)
        {
            chw[i] = p[3 * i] * inv;
            chw[n + i] = p[3 * i + 1] * inv;
            chw[2 * n + i] = p[3 * i + 2] * inv;
        }
        return chw;
    }
}

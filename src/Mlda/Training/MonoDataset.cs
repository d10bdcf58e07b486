using System.Collections.Concurrent;
using Mlda.Core;
using Mlda.Core.Evaluation;
using Mlda.Core.Hints;
using Mlda.Core.Imaging;

namespace Mlda.Training;

/// <summary>
/// The preprocessing every dataset shares (reference <c>datasets/mono_dataset.py</c> <c>MonoDataset</c>): per item
/// the target frame, its temporal neighbours and the other camera's frame, each PIL-Lanczos-resized to the network
/// size, the target also chained down to every scale; with augmentation (training only) a horizontal flip and a
/// colour jitter, each with p = 0.5; the depth hint flipped, then nearest-resized (<c>__getitem__</c>'s order); the
/// item's intrinsics scaled to the network size; ground truth where asked for. A dataset kind says only where its
/// files are and what its camera is (<c>kitti_dataset.py</c> is the model).
/// </summary>
public abstract class MonoDataset : ITrainingDataset
{
    /// <summary>Baseline of the reference's stereo transform in network units: metres ≈ 5.4 × units.</summary>
    public const float StereoBaseline = 0.1f;

    readonly ConcurrentDictionary<string, ByteImage> _imageCache = new();
    readonly ConcurrentDictionary<(string, bool), float[]> _hintCache = new();

    protected MonoDataset(DatasetOptions options, bool isTrain)
    {
        if (options.Height % 32 != 0 || options.Width % 32 != 0 || options.Height <= 0 || options.Width <= 0)
            throw new ArgumentException($"height and width must be positive multiples of 32, got {options.Width}x{options.Height}");
        Options = options;
        IsTrain = isTrain;
        SourceFrames = SourceFrame.For(options);
    }

    public DatasetOptions Options { get; }
    public bool IsTrain { get; }
    public IReadOnlyList<SourceFrame> SourceFrames { get; }
    public abstract int Count { get; }
    public abstract IReadOnlyList<SkippedItems> Skipped { get; }

    /// <summary>The image file of <paramref name="frame"/> of item <paramref name="index"/>; the target is <see cref="SourceFrame.Target"/>.</summary>
    protected abstract string ColorPath(int index, SourceFrame frame);

    /// <summary>The item's camera, normalised by its image size (monodepth2's <c>self.K</c>).</summary>
    protected abstract NormalisedIntrinsics Intrinsics(int index);

    /// <summary>The item's depth-hint file, or null when the dataset has no hints.</summary>
    protected virtual string? HintPath(int index) => null;

    /// <summary>−1 when the target is the left camera of a stereo pair, +1 when it is the right (<c>stereo_T</c>'s side sign).</summary>
    protected virtual float StereoSideSign(int index) => -1f;

    /// <summary>The Eigen evaluation's ground truth for the item at native size, unflipped; null where there is none.</summary>
    protected virtual FloatMap? GroundTruth(int index) => null;

    /// <summary>
    /// The ground truth of the reference's validation metric (<c>trainer.py compute_depth_losses</c>), unflipped, at
    /// <see cref="ValidationMetric"/>'s size; null where there is none.
    /// </summary>
    protected virtual FloatMap? ValidationGroundTruth(int index) => null;

    public TrainingSample Get(int index, Random rng)
    {
        int w = Options.Width, h = Options.Height, n = w * h;
        bool doColor = IsTrain && rng.NextDouble() > 0.5;
        bool doFlip = IsTrain && rng.NextDouble() > 0.5;

        var target = Load(ColorPath(index, SourceFrame.Target));
        var scales = new List<ByteImage>();
        var previous = target;
        for (int s = 1; s < Options.NumScales; s++)
        {
            // Chained: scale s is resized from scale s−1 (reference preprocess), not from the raw image.
            previous = PilResize.Lanczos(previous, w >> s, h >> s);
            scales.Add(previous);
        }
        var sources = SourceFrames.Select(f => Load(ColorPath(index, f))).ToArray();
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
            ColorJitter Next() => Options.JitterPerImage ? new ColorJitter(rng) : shared;
            targetAug = Next().Apply(targetChw, n);
            sourcesAug = sourcesChw.Select(s => Next().Apply(s, n)).ToArray();
        }

        float[]? hint = HintPath(index) is { } hintPath ? LoadHint(hintPath, doFlip) : null;

        FloatMap? gt = null, validationGt = null;
        if (Options.LoadGroundTruth)
        {
            gt = Flipped(GroundTruth(index), doFlip);
            validationGt = Flipped(ValidationGroundTruth(index), doFlip);
        }

        float baselineSign = doFlip ? -1f : 1f;
        return new TrainingSample
        {
            Target = targetChw,
            TargetAugmented = targetAug,
            TargetScales = scales.Select(ToChw).ToArray(),
            Sources = sourcesChw,
            SourcesAugmented = sourcesAug,
            K = Intrinsics(index).Matrix4(w, h),
            Hint = hint,
            StereoShift = StereoSideSign(index) * baselineSign * StereoBaseline,
            Flipped = doFlip,
            GroundTruth = gt,
            ValidationGroundTruth = validationGt,
            Index = index,
        };
    }

    static FloatMap? Flipped(FloatMap? map, bool flip) => flip && map is not null ? DisparityPostProcess.FlipHorizontal(map) : map;

    ByteImage Load(string path)
    {
        if (Options.CacheImages && _imageCache.TryGetValue(path, out var cached)) return cached;
        var raw = ImageFile.LoadRgb(path);
        var resized = raw.Width == Options.Width && raw.Height == Options.Height ? raw : PilResize.Lanczos(raw, Options.Width, Options.Height);
        if (Options.CacheImages) _imageCache[path] = resized;
        return resized;
    }

    float[] LoadHint(string path, bool flip)
    {
        if (_hintCache.TryGetValue((path, flip), out var cached)) return cached;
        if (!File.Exists(path)) throw new InputException(path, "depth hint not found (run `mlda hints`, or train with --no-hints)");
        var hint = DepthHintFile.ReadForTraining(path, Options.Width, Options.Height, flip).Values;
        if (Options.CacheImages) _hintCache[(path, flip)] = hint;
        return hint;
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

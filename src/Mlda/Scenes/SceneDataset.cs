using System.Collections.Concurrent;
using Mlda.Core;
using Mlda.Core.Imaging;
using Mlda.Core.Scenes;
using Mlda.Training;

namespace Mlda.Scenes;

/// <summary>
/// Training and validation items of a scene folder (monodepth2 <c>mono_dataset.py __getitem__</c> for
/// <c>frame_ids [0, -1, 1]</c>): the target frame and its two neighbours, PIL-Lanczos-resized to the network size,
/// the target chained down to every scale; with augmentation (training only) a horizontal flip and a colour
/// jitter, each with p = 0.5; the scene's own intrinsics, normalised by its image size and rescaled to the network
/// size (flipped with the image: cx → W − cx); the scene's ground truth at its native size where asked for.
/// Targets at which the camera stands still are skipped (<see cref="SceneItems"/>).
/// </summary>
public sealed class SceneDataset
{
    readonly DatasetOptions _options;
    readonly SceneItems _items;
    readonly ConcurrentDictionary<string, ByteImage> _imageCache = new();

    public bool IsTrain { get; }
    public DatasetOptions Options => _options;
    public SceneItems Items => _items;
    public int Count => _items.Items.Count;
    public int StaticSkipped => _items.StaticSkipped;

    public SceneDataset(SceneItems items, DatasetOptions options, bool isTrain)
    {
        if (options.UseStereo || options.HintPath is not null)
            throw new InputException(null, "scene folders train in mode M (monocular video): stereo and depth hints need KITTI's stereo pairs");
        if (options.Offsets.Any(o => o is not (-1 or 1)) || options.Offsets.Length != 2)
            throw new ArgumentException("scene items use the neighbours -1 and +1");
        _items = items;
        _options = options;
        IsTrain = isTrain;
    }

    /// <summary>The network-size K of item <paramref name="index"/> (before any flip), as the warping takes it.</summary>
    public CameraIntrinsics NetworkIntrinsics(int index)
    {
        var scene = _items.Scenes[_items.Items[index].Scene];
        return scene.Intrinsics.Resized(scene.Width, scene.Height, _options.Width, _options.Height);
    }

    /// <summary>
    /// The item's pieces: target, its scales, the sources (−1, +1), augmented copies, the network-size intrinsics
    /// (mirrored with a flip) and the ground truth.
    /// </summary>
    public (ByteImage Target, List<ByteImage> Scales, ByteImage[] Sources, bool Flipped, bool Jitter, CameraIntrinsics K, FloatMap? GroundTruth)
        Load(int index, Random rng)
    {
        var item = _items.Items[index];
        var scene = _items.Scenes[item.Scene];
        int w = _options.Width, h = _options.Height;
        bool doColor = IsTrain && rng.NextDouble() > 0.5;
        bool doFlip = IsTrain && rng.NextDouble() > 0.5;
        var target = Image(scene.Frames[item.Frame]);
        var scales = new List<ByteImage>();
        var previous = target;
        for (int s = 1; s < _options.NumScales; s++)
        {
            // Chained: scale s is resized from scale s−1 (reference preprocess), not from the raw image.
            previous = PilResize.Lanczos(previous, w >> s, h >> s);
            scales.Add(previous);
        }
        var sources = _options.Offsets.Select(o => Image(scene.Frames[item.Frame + o])).ToArray();
        var k = NetworkIntrinsics(index);
        FloatMap? gt = _options.LoadGroundTruth ? scene.ReadDepth(item.Frame) : null;
        if (doFlip)
        {
            target = target.FlipHorizontal();
            scales = scales.Select(s => s.FlipHorizontal()).ToList();
            sources = sources.Select(s => s.FlipHorizontal()).ToArray();
            k = k with { Cx = w - 1 - k.Cx }; // pixel x maps to W − 1 − x (backprojection uses pixel indices)
            if (gt is not null) gt = Mlda.Core.Evaluation.DisparityPostProcess.FlipHorizontal(gt);
        }
        return (target, scales, sources, doFlip, doColor, k, gt);
    }

    ByteImage Image(string path)
    {
        if (_options.CacheImages && _imageCache.TryGetValue(path, out var cached)) return cached;
        var raw = ImageFile.LoadRgb(path);
        var resized = raw.Width == _options.Width && raw.Height == _options.Height ? raw : PilResize.Lanczos(raw, _options.Width, _options.Height);
        if (_options.CacheImages) _imageCache[path] = resized;
        return resized;
    }
}

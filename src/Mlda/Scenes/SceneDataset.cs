using Mlda.Core;
using Mlda.Core.Evaluation;
using Mlda.Core.Imaging;
using Mlda.Core.Scenes;
using Mlda.Training;

namespace Mlda.Scenes;

/// <summary>
/// A scene folder as a training set (what <c>kitti_dataset.py</c> says for KITTI, said for scenes): item i is a
/// target frame of a scene with its neighbours −1 and +1, the scene's own camera normalised by its image size
/// (monodepth2's <c>self.K</c>; <see cref="MonoDataset"/> rescales it to the network size), and the scene's
/// ground truth where it has some. Mode M only: a scene has no stereo pair, so no stereo view and no hints.
/// Targets at which the camera stands still are left out (<see cref="SceneItems"/>).
/// </summary>
public sealed class SceneDataset : MonoDataset, ITrainingDataset
{
    public const string CameraStill = "skipped: the camera stands still";

    readonly SceneItems _items;
    readonly IReadOnlyList<SceneItem> _list;
    readonly IReadOnlyList<SkippedItems> _skipped;

    public SceneItems Items => _items;

    /// <param name="maxItems">keep only the first this many items (0 = all), as <c>maxValidationItems</c> does</param>
    public SceneDataset(SceneItems items, DatasetOptions options, bool isTrain, int maxItems = 0) : base(options, isTrain)
    {
        if (options.UseStereo || options.HintPath is not null)
            throw new InputException(null, "scene folders train in mode M: stereo and depth hints need KITTI's stereo pairs");
        if (options.Offsets.Length != 2 || options.Offsets.Any(o => o is not (-1 or 1)))
            throw new ArgumentException("scene items have the neighbours -1 and +1");
        _items = items;
        _list = maxItems > 0 ? items.Items.Take(maxItems).ToList() : items.Items;
        var borders = items.Scenes.SelectMany(s => new[] { s.Frames[0], s.Frames[^1] }).ToList();
        var still = items.StaticTargets.Select(t => items.Scenes[t.Scene].Frames[t.Frame]).ToList();
        _skipped = new[] { new SkippedItems(SkippedItems.SequenceBorders, borders, Warn: false), new SkippedItems(CameraStill, still, Warn: false) }
            .Where(s => s.Count > 0).ToList();
    }

    public override int Count => _list.Count;
    public override IReadOnlyList<SkippedItems> Skipped => _skipped;

    /// <summary>Scene ground truth is any camera's: 0 &lt; gt &lt; 80 without KITTI's Eigen crop, as <c>mlda eval</c> on scenes.</summary>
    public EvaluationMask GroundTruthMask => EvaluationMask.ValidBelowCap;

    SceneFolder SceneOf(int index) => _items.Scenes[_list[index].Scene];

    protected override string ColorPath(int index, SourceFrame frame)
    {
        if (frame.IsStereo) throw new InvalidOperationException("scene folders have no stereo view");
        return SceneOf(index).Frames[_list[index].Frame + frame.Offset];
    }

    protected override NormalisedIntrinsics Intrinsics(int index)
    {
        var s = SceneOf(index);
        var n = CameraFile.Normalised(s.Intrinsics, s.Width, s.Height);
        return new NormalisedIntrinsics((float)n.Fx, (float)n.Fy, (float)n.Cx, (float)n.Cy);
    }

    protected override FloatMap? GroundTruth(int index) => SceneOf(index).ReadDepth(_list[index].Frame);
}

using Mlda.Core;
using Mlda.Core.Evaluation;
using Mlda.Core.Imaging;
using Mlda.Core.Prediction;

namespace Mlda.Core.Scenes;

/// <summary>
/// <c>mlda eval</c> on a scene folder: every frame of the split's scenes that has ground truth, predicted at the
/// network size and evaluated with monodepth2's metrics (<c>evaluate_depth.py</c>): per-image median scaling or a
/// fixed scale, 0 &lt; gt &lt; max depth, no crop (the Eigen crop is KITTI's).
/// </summary>
public static class SceneEvaluation
{
    /// <summary>The frames with ground truth and their maps, in split order (maps read on demand).</summary>
    public static (IReadOnlyList<string> Frames, IReadOnlyList<FloatMap> GroundTruth) GroundTruthOf(IReadOnlyList<SceneFolder> scenes)
    {
        var frames = new List<string>();
        var loaders = new List<(SceneFolder Scene, int Frame)>();
        foreach (var scene in scenes)
            for (int i = 0; i < scene.Frames.Count; i++)
                if (scene.DepthFiles[i] is not null) { frames.Add(scene.Frames[i]); loaders.Add((scene, i)); }
        return (frames, new LazyMaps(loaders));
    }

    /// <summary>The scenes' frames with ground truth through the one predictor (a checkpoint or an export; flip post-processing is the predictor's).</summary>
    public static EvaluationResult Run(DepthPredictor predictor, IReadOnlyList<SceneFolder> scenes, EvaluationOptions options,
                                       string splitPath, int batchSize = 8, IProgress<ProgressUpdate>? progress = null, CancellationToken ct = default)
    {
        var (frames, gt) = GroundTruthOf(scenes);
        if (frames.Count == 0) throw new InputException(splitPath, $"no scene of this split has ground truth (<scene>/{SceneFolder.DepthFolder}/<stem>.npy or .png)");
        var predicted = SplitPrediction.PredictFiles(predictor, frames, batchSize, progress, ct);
        return predicted.Mirrored is null
            ? EigenEvaluation.Evaluate(gt, predicted.Disparities, options, progress, ct)
            : EigenEvaluation.EvaluatePostProcessed(gt, predicted.Disparities, predicted.Mirrored, options, progress, ct);
    }

    /// <summary>Ground truth read when the evaluation reaches it, so a long test split is never all in memory.</summary>
    sealed class LazyMaps(IReadOnlyList<(SceneFolder Scene, int Frame)> items) : IReadOnlyList<FloatMap>
    {
        public FloatMap this[int index] => items[index].Scene.ReadDepth(items[index].Frame)!;
        public int Count => items.Count;
        public IEnumerator<FloatMap> GetEnumerator() { for (int i = 0; i < Count; i++) yield return this[i]; }
        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}

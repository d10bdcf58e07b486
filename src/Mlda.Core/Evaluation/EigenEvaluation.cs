using System.Numerics;
using Mlda.Core.Imaging;

namespace Mlda.Core.Evaluation;

/// <summary>
/// monodepth2's <c>evaluate_depth.py</c> protocol for N predicted disparities against N LiDAR ground-truth maps
/// (one per split line, in split order), in numpy's arithmetic:
/// 1. resize the disparity to the ground truth's size with cv2 INTER_LINEAR, invert it;
/// 2. mask: 1e-3 &lt; gt &lt; 80 inside the Eigen crop (<see cref="EigenCrop"/>) for the eigen split, gt &gt; 0 otherwise;
/// 3. scale: ×5.4 (stereo) or × median(gt)/median(pred) per image (mono);
/// 4. clamp to [1e-3, 80]; 5. the seven metrics per image, averaged over images.
/// Disparities are float32, so steps 1-5 run in float32 like numpy; post-processed disparities are float64 in the
/// reference, so <see cref="EvaluatePostProcessed"/> runs in float64.
/// </summary>
public static class EigenEvaluation
{
    /// <summary>
    /// The Garg/Eigen crop for a ground truth of <paramref name="height"/> x <paramref name="width"/>:
    /// int32 truncation of (0.40810811h, 0.99189189h, 0.03594771w, 0.96405229w) → rows [Top, Bottom), cols [Left, Right).
    /// 375x1242 gives (153, 371, 44, 1197); 370x1226 gives (151, 366, 44, 1181).
    /// </summary>
    public static (int Top, int Bottom, int Left, int Right) EigenCrop(int height, int width) =>
        ((int)(0.40810811 * height), (int)(0.99189189 * height), (int)(0.03594771 * width), (int)(0.96405229 * width));

    /// <summary>
    /// Evaluates float32 disparities (an external <c>.npy</c>, or a model's output). Each ground-truth map is read
    /// once, so <paramref name="groundTruth"/> may make maps on demand (<see cref="Kitti.GroundTruthSet.Open"/>).
    /// </summary>
    public static EvaluationResult Evaluate(
        IReadOnlyList<FloatMap> groundTruth, IReadOnlyList<FloatMap> disparities, EvaluationOptions options,
        IProgress<ProgressUpdate>? progress = null, CancellationToken cancellationToken = default)
    {
        CheckCounts(groundTruth, disparities.Count);
        return Run(groundTruth, float64: false, i =>
        {
            var gt = groundTruth[i];
            var d = disparities[i];
            var resized = new float[gt.Height * gt.Width];
            DisparityResize.Bilinear(d.Values, d.Height, d.Width, resized, gt.Height, gt.Width);
            return ImageMetrics<float>(gt, resized, options);
        }, options, progress, cancellationToken);
    }

    /// <summary>
    /// Evaluates with monodepth2's <c>--post_process</c>: image i's disparity is blended with
    /// <paramref name="mirroredDisparities"/>[i], the disparity predicted for the horizontally flipped image, as
    /// predicted (still mirrored; it is flipped back here, as the reference does with <c>pred_disp[N:, :, ::-1]</c>).
    /// The blend is float64 in numpy, and so is everything after it.
    /// </summary>
    public static EvaluationResult EvaluatePostProcessed(
        IReadOnlyList<FloatMap> groundTruth, IReadOnlyList<FloatMap> disparities, IReadOnlyList<FloatMap> mirroredDisparities,
        EvaluationOptions options, IProgress<ProgressUpdate>? progress = null, CancellationToken cancellationToken = default)
    {
        CheckCounts(groundTruth, disparities.Count);
        if (mirroredDisparities.Count != disparities.Count)
            throw new ArgumentException($"{disparities.Count} disparities but {mirroredDisparities.Count} mirrored ones");
        return Run(groundTruth, float64: true, i =>
        {
            var gt = groundTruth[i];
            var d = disparities[i];
            var blended = DisparityPostProcess.Blend(d, DisparityPostProcess.FlipHorizontal(mirroredDisparities[i]));
            var resized = new double[gt.Height * gt.Width];
            DisparityResize.Bilinear(blended, d.Height, d.Width, resized, gt.Height, gt.Width);
            return ImageMetrics<double>(gt, resized, options);
        }, options, progress, cancellationToken);
    }

    static void CheckCounts(IReadOnlyList<FloatMap> groundTruth, int disparities)
    {
        if (groundTruth.Count != disparities)
            throw new ArgumentException($"{disparities} disparities for {groundTruth.Count} ground-truth maps");
        if (groundTruth.Count == 0) throw new ArgumentException("nothing to evaluate");
    }

    static EvaluationResult Run(IReadOnlyList<FloatMap> groundTruth, bool float64, Func<int, (DepthMetrics Metrics, double? Ratio)> image,
        EvaluationOptions options, IProgress<ProgressUpdate>? progress, CancellationToken ct)
    {
        var perImage = new DepthMetrics[groundTruth.Count];
        var ratios = new double[groundTruth.Count];
        int done = 0;
        // Images are independent; results are stored by index, so the outcome does not depend on scheduling.
        try
        {
            Parallel.For(0, groundTruth.Count, new ParallelOptions { CancellationToken = ct }, i =>
            {
                var (m, r) = image(i);
                perImage[i] = m;
                ratios[i] = r ?? double.NaN;
                progress?.Report(new ProgressUpdate("evaluate", Interlocked.Increment(ref done), groundTruth.Count));
            });
        }
        catch (AggregateException e) when (InputException.FirstIn(e) is { } bad)
        {
            // Ground truth made on demand (GroundTruthSet.Open) can meet a bad scan inside a worker.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(bad);
        }
        var mean = DepthMetrics.Mean(perImage);
        if (options.Mode == EvaluationMode.Stereo) return new EvaluationResult(options, mean, perImage, [], null, null);
        // ratios are float32 for float32 inputs (np.median of float32 / np.median of float32) and float64 after
        // post-processing; their summary statistics are computed in that type.
        double med, std;
        if (!float64)
        {
            var f = ratios.Select(r => (float)r).ToArray();
            float m = NumpyReductions.Median<float>(f);
            med = m;
            std = NumpyReductions.Std<float>(f.Select(r => r / m).ToArray());
        }
        else
        {
            med = NumpyReductions.Median<double>(ratios);
            std = NumpyReductions.Std<double>(ratios.Select(r => r / med).ToArray());
        }
        return new EvaluationResult(options, mean, perImage, ratios, med, std);
    }

    /// <summary>Steps 1b-5 for one image, in T (float32 or float64) with the ground truth promoted to T.</summary>
    static (DepthMetrics, double?) ImageMetrics<T>(FloatMap gt, T[] resizedDisparity, EvaluationOptions options)
        where T : IFloatingPointIeee754<T>
    {
        int h = gt.Height, w = gt.Width;
        var (top, bottom, left, right) = options.Mask == EvaluationMask.Eigen ? EigenCrop(h, w) : (0, h, 0, w);
        float minDepth = (float)EvaluationOptions.MinDepth, maxDepth = (float)options.DepthCap;
        var g = new List<float>(h * w / 16);
        var p = new List<T>(h * w / 16);
        for (int y = top; y < bottom; y++)
            for (int x = left; x < right; x++)
            {
                float v = gt.Values[y * w + x];
                // gt is float32 compared with Python floats: numpy casts the scalar to float32 first.
                bool valid = options.Mask switch
                {
                    EvaluationMask.Eigen => v > minDepth && v < maxDepth,
                    EvaluationMask.ValidBelowCap => v > 0 && v < maxDepth,
                    _ => v > 0,
                };
                if (!valid) continue;
                g.Add(v);
                p.Add(T.One / resizedDisparity[y * w + x]);
            }
        var pred = p.ToArray();
        var gtv = g.ToArray();
        double? ratio = null;
        if (options.Mode == EvaluationMode.Stereo)
        {
            var s = T.CreateChecked(options.FixedScale);
            for (int i = 0; i < pred.Length; i++) pred[i] *= s;
        }
        else
        {
            // ratio = np.median(gt) / np.median(pred): the gt median is float32 whatever T is.
            T r = T.CreateChecked(NumpyReductions.Median<float>(gtv)) / NumpyReductions.Median<T>(pred);
            ratio = double.CreateChecked(r);
            for (int i = 0; i < pred.Length; i++) pred[i] *= r;
        }
        T lo = T.CreateChecked(typeof(T) == typeof(float) ? minDepth : EvaluationOptions.MinDepth);
        T hi = T.CreateChecked(options.DepthCap);
        for (int i = 0; i < pred.Length; i++)
        {
            if (pred[i] < lo) pred[i] = lo;
            if (pred[i] > hi) pred[i] = hi;
        }
        var gtT = new T[gtv.Length];
        for (int i = 0; i < gtv.Length; i++) gtT[i] = T.CreateChecked(gtv[i]);
        return (DepthMetrics.Compute<T>(gtT, pred), ratio);
    }
}

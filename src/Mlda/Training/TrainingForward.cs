using Mlda.Layers;
using Mlda.Losses;
using Mlda.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace Mlda.Training;

/// <summary>
/// One batch through the networks and the loss (reference <c>trainer.py</c> <c>process_batch</c>,
/// <c>predict_poses</c>, <c>generate_images_pred</c>, <c>compute_losses</c>).
/// </summary>
public sealed class TrainingForward : IDisposable
{
    readonly MldaNetworks _nets;
    readonly IReadOnlyList<SourceFrame> _sources;
    readonly ViewSynthesis _warp;
    readonly SelfSupervisedLoss _loss;
    readonly int _height, _width, _numScales;

    public TrainingForward(MldaNetworks nets, IReadOnlyList<SourceFrame> sources, LossOptions lossOptions, int numScales)
    {
        _nets = nets;
        _sources = sources;
        _height = nets.Options.Height;
        _width = nets.Options.Width;
        _numScales = numScales;
        _warp = new ViewSynthesis(_height, _width);
        _loss = new SelfSupervisedLoss(lossOptions);
    }

    /// <summary>The result of one forward pass: the loss terms and the sigmoid disparities by scale.</summary>
    public sealed record Output(LossTerms Terms, Tensor[] Disparities);

    /// <summary>
    /// <c>process_batch</c>: the depth network on the augmented target, the poses, then the warped sources and the
    /// loss. The stages are public so that a benchmark can time each from outside.
    /// </summary>
    public Output Run(TrainingBatch b)
    {
        var disps = PredictDisparities(Encode(b));
        return Losses(b, disps, PredictPoses(b));
    }

    /// <summary>The depth encoder's features of the augmented target.</summary>
    public Tensor[] Encode(TrainingBatch b) => _nets.Encoder.forward(b.TargetAugmented);

    /// <summary>The sigmoid disparities by scale (the depth decoder).</summary>
    public Tensor[] PredictDisparities(Tensor[] features) => _nets.Depth.forward(features);

    /// <summary>
    /// <c>predict_poses</c>: for each source the transform from the target to it; the pose network sees temporal
    /// pairs in temporal order ([−1, 0] inverted, [0, +1] forward), the stereo view takes the fixed stereo transform.
    /// </summary>
    public Tensor[] PredictPoses(TrainingBatch b)
    {
        var transforms = new Tensor[_sources.Count];
        for (int i = 0; i < _sources.Count; i++)
        {
            var f = _sources[i];
            if (f.IsStereo)
            {
                transforms[i] = b.StereoT;
                continue;
            }
            var pair = f.Offset < 0
                ? cat([b.SourcesAugmented[i], b.TargetAugmented], 1)
                : cat([b.TargetAugmented, b.SourcesAugmented[i]], 1);
            var (axisAngle, translation) = _nets.Pose.forward(_nets.PoseEncoder.ForwardLastLevel(pair));
            transforms[i] = TransformationFromParameters.Compute(axisAngle.select(1, 0), translation.select(1, 0), invert: f.Offset < 0);
        }
        return transforms;
    }

    /// <summary>
    /// <c>generate_images_pred</c> and <c>compute_losses</c>: every scale's disparity upsampled to full size, converted
    /// to depth and used to warp the un-augmented sources; the stereo view warped once more with the depth hint.
    /// </summary>
    public Output Losses(TrainingBatch b, Tensor[] disps, Tensor[] transforms)
    {
        int stereoIndex = -1;
        for (int i = 0; i < _sources.Count; i++) if (_sources[i].IsStereo) stereoIndex = i;
        var warped = new List<IReadOnlyList<Tensor>>(_numScales);
        var depths = new List<Tensor>(_numScales);
        for (int s = 0; s < _numScales; s++)
        {
            var disp = s == 0 ? disps[0]
                : nn.functional.interpolate(disps[s], [_height, _width], mode: InterpolationMode.Bilinear, align_corners: false);
            var depth = DispToDepth.Convert(disp, _nets.Options.MinDepth, _nets.Options.MaxDepth).Depth;
            depths.Add(depth);
            warped.Add(_sources.Select((_, i) => _warp.forward(b.Sources[i], depth, b.K, b.InvK, transforms[i])).ToArray());
        }

        Tensor? hintWarped = null;
        if (b.Hint is not null && stereoIndex >= 0)
            hintWarped = _warp.forward(b.Sources[stereoIndex], b.Hint, b.K, b.InvK, b.StereoT);

        var targets = new List<Tensor> { b.Target };
        targets.AddRange(b.TargetScales.Take(_numScales - 1));
        var terms = _loss.forward(new LossInputs(b.Target, b.Sources, warped, disps.Take(_numScales).ToArray(), depths, targets, hintWarped, b.Hint));
        return new Output(terms, disps);
    }

    public void Dispose()
    {
        _warp.Dispose();
        _loss.Dispose();
    }
}

using Mlda.Layers;
using Mlda.Losses;
using Mlda.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace Mlda.Training;

/// <summary>
/// One batch through the networks and the loss (reference <c>trainer.py</c> <c>process_batch</c>,
/// <c>predict_poses</c>, <c>generate_images_pred</c>): depth from the augmented target; a pose for each
/// temporal source from the augmented pair in temporal order ([−1, 0] inverted, [0, +1] forward), the fixed stereo
/// transform for 's'; every scale's disparity upsampled to full size, converted to depth and used to warp the
/// un-augmented sources; the stereo view warped once more with the depth hint.
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

    public Output Run(TrainingBatch b) => RunTimed(b, timed: false).Output;

    /// <summary>The forward pass with the seconds spent in each part (for the benchmark).</summary>
    public sealed record TimedOutput(Output Output, double Encoder, double Depth, double Pose, double WarpAndLoss);

    public TimedOutput RunTimed(TrainingBatch b, bool timed = true)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        double Lap() { double t = clock.Elapsed.TotalSeconds; clock.Restart(); return t; }
        var features = _nets.Encoder.forward(b.TargetAugmented);
        double tEncoder = Lap();
        var disps = _nets.Depth.forward(features);
        double tDepth = Lap();
        var transforms = new Tensor[_sources.Count];
        int stereoIndex = -1;
        for (int i = 0; i < _sources.Count; i++)
        {
            var f = _sources[i];
            if (f.IsStereo)
            {
                transforms[i] = b.StereoT;
                stereoIndex = i;
                continue;
            }
            var pair = f.Offset < 0
                ? cat([b.SourcesAugmented[i], b.TargetAugmented], 1)
                : cat([b.TargetAugmented, b.SourcesAugmented[i]], 1);
            var (axisAngle, translation) = _nets.Pose.forward(_nets.PoseEncoder.ForwardLastLevel(pair));
            transforms[i] = TransformationFromParameters.Compute(axisAngle.select(1, 0), translation.select(1, 0), invert: f.Offset < 0);
        }

        double tPose = Lap();
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
        if (timed) terms.Total.item<float>(); // a device would run asynchronously: wait for the result
        return new TimedOutput(new Output(terms, disps), tEncoder, tDepth, tPose, Lap());
    }

    public void Dispose()
    {
        _warp.Dispose();
        _loss.Dispose();
    }
}

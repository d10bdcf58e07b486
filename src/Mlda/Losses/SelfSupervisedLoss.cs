using TorchSharp;
using static TorchSharp.torch;

namespace Mlda.Losses;

/// <summary>
/// The MLDA-Net training loss (reference <c>losses/loss.py</c> <c>compute_losses</c>, spec §5.4):
/// per scale s, the minimum reprojection error over the sources, auto-masked by the identity error of the
/// unwarped sources, plus the depth-hint proxy log(1 + |d_s − h|) where the hint's own reprojection wins, plus
/// λ·smooth/2^s; the scale losses are weighted by 1/2^s and SUMMED (not averaged, unlike monodepth2).
/// </summary>
public sealed class SelfSupervisedLoss : nn.Module<LossInputs, LossTerms>
{
    /// <summary>Pixels without a hint never win the per-pixel argmin (reference: + 1000·(1 − mask)).</summary>
    const double NoHintPenalty = 1000.0;
    const double Eps = 1e-7;

    readonly ReprojectionLoss reprojection = new();
    readonly LossOptions _options;

    public SelfSupervisedLoss(LossOptions options) : base(nameof(SelfSupervisedLoss))
    {
        _options = options;
        RegisterComponents();
    }

    public override LossTerms forward(LossInputs x)
    {
        int numScales = x.Warped.Count;
        bool useHints = x.Hint is not null && x.HintWarped is not null;

        // Identity (auto-mask) error: the unwarped sources, the stereo view included (reference behaviour).
        var identity = MinOverSources(x.Sources, x.Target);
        if (_options.IdentityNoise > 0)
            identity = identity + randn_like(identity) * _options.IdentityNoise;

        Tensor? hintReprojection = null, hintValid = null;
        if (useHints)
        {
            hintValid = (x.Hint! > 0).to(x.Target.dtype);
            hintReprojection = reprojection.forward(x.HintWarped!, x.Target) + NoHintPenalty * (1 - hintValid);
        }

        var total = zeros(1, dtype: x.Target.dtype, device: x.Target.device).squeeze();
        var reprojTerms = new List<Tensor>();
        var hintTerms = new List<Tensor>();
        var smoothTerms = new List<Tensor>();
        var hintFractions = new List<Tensor>();
        Tensor? photometric = null;
        for (int s = 0; s < numScales; s++)
        {
            double scaleWeight = 1.0 / (1 << s);
            var reproj = MinOverSources(x.Warped[s], x.Target);
            if (s == 0) photometric = reproj.mean().detach();

            var candidates = useHints ? cat([reproj, identity, hintReprojection!], 1) : cat([reproj, identity], 1);
            var idx = candidates.argmin(1, keepdim: true);
            var reprojMask = idx.ne(1).to(reproj.dtype).detach();
            var lossReproj = (reproj * reprojMask).sum() / (reprojMask.sum() + Eps);
            var lossScale = lossReproj;
            reprojTerms.Add(lossReproj.detach());

            if (useHints)
            {
                var hintMask = idx.eq(2).to(reproj.dtype).detach();
                var proxy = ((x.Depths[s] - x.Hint!).abs() + 1).log() * hintValid! * hintMask;
                var lossHint = proxy.sum() / (hintMask.sum() + Eps);
                lossScale = lossScale + lossHint;
                hintTerms.Add(lossHint.detach());
                hintFractions.Add(hintMask.mean().detach());
            }

            if (_options.Smoothness > 0)
            {
                var smooth = SmoothnessLoss.Compute(x.Disparities[s], x.TargetAtScale[s]);
                lossScale = lossScale + _options.Smoothness * smooth * scaleWeight;
                smoothTerms.Add(smooth.detach());
            }
            total = total + lossScale * scaleWeight;
        }
        return new LossTerms(total, photometric!, reprojTerms, hintTerms, smoothTerms, hintFractions);
    }

    Tensor MinOverSources(IReadOnlyList<Tensor> sources, Tensor target)
    {
        if (sources.Count == 1) return reprojection.forward(sources[0], target);
        var errors = cat(sources.Select(src => reprojection.forward(src, target)).ToArray(), 1);
        return errors.min(1, keepdim: true).values;
    }
}

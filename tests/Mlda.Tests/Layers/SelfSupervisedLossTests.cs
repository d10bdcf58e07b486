using Mlda.Losses;
using static TorchSharp.torch;

namespace Mlda.Tests.Layers;

public class SelfSupervisedLossTests
{
    static LossInputs Inputs(Tensor target, Tensor[] sources, Tensor[][] warped, Tensor[] depths, Tensor? hintWarped = null, Tensor? hint = null)
    {
        var disps = depths.Select(d => d.reciprocal()).ToArray();
        return new LossInputs(target, sources, warped, disps, depths, depths.Select(_ => target).ToArray(), hintWarped, hint);
    }

    [Fact]
    public void Perfect_warps_give_zero_loss_and_scales_are_weighted_by_half_powers_and_summed()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        var target = rand(1, 3, 16, 16);
        var moved = target.roll(3, 3); // identity error is large: warping is what explains the target
        var noisy = (target + 0.3 * rand(1, 3, 16, 16)).clamp(0, 1);
        using var loss = new SelfSupervisedLoss(new LossOptions());
        var depth = ones(1, 1, 16, 16);
        var perfect = loss.forward(Inputs(target, [moved], [[target], [target]], [depth, depth]));
        Assert.True(perfect.Total.item<float>() < 1e-4);

        // The same imperfect warp at both scales: total = L·(1 + 1/2), reference sums without dividing by #scales.
        var imperfect = loss.forward(Inputs(target, [moved], [[noisy], [noisy]], [depth, depth]));
        double l0 = imperfect.Reprojection[0].item<float>();
        Assert.True(l0 > 0.01);
        Assert.Equal(l0 * 1.5, imperfect.Total.item<float>(), 4);
    }

    [Fact]
    public void Auto_mask_ignores_pixels_where_the_unwarped_source_is_better()
    {
        using var scope = NewDisposeScope();
        manual_seed(4);
        var target = rand(1, 3, 16, 16);
        var bad = rand(1, 3, 16, 16);
        using var loss = new SelfSupervisedLoss(new LossOptions());
        // The source equals the target (a static camera): identity wins everywhere and masks the bad warp out.
        var terms = loss.forward(Inputs(target, [target], [[bad]], [ones(1, 1, 16, 16)]));
        Assert.True(terms.Reprojection[0].item<float>() < 1e-3);
        Assert.True(terms.Photometric.item<float>() > 0.1);
    }

    [Fact]
    public void Hint_proxy_applies_only_where_the_hint_reprojection_wins()
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        var target = rand(1, 3, 16, 16);
        var badWarp = rand(1, 3, 16, 16);
        var other = rand(1, 3, 16, 16);
        var depth = full(1, 1, 16, 16, 2f);
        var hint = full(1, 1, 16, 16, 5f);
        using var loss = new SelfSupervisedLoss(new LossOptions());
        // The hint warp is perfect: the proxy log(1 + |2 − 5|) applies at every pixel.
        var terms = loss.forward(Inputs(target, [other], [[badWarp]], [depth], target, hint));
        Assert.Equal(Math.Log(4), terms.HintProxy[0].item<float>(), 4);
        Assert.Equal(1.0, terms.HintFraction[0].item<float>(), 4);
        // Without valid hints (0 everywhere) the +1000 penalty keeps the hint from ever winning.
        var none = loss.forward(Inputs(target, [other], [[badWarp]], [depth], target, zeros(1, 1, 16, 16)));
        Assert.Equal(0.0, none.HintProxy[0].item<float>(), 6);
        // And the gradient of the proxy pulls the depth towards the hint.
        var d = full(1, 1, 16, 16, 2f).requires_grad_();
        loss.forward(Inputs(target, [other], [[badWarp]], [d], target, hint)).Total.backward();
        Assert.True(d.grad!.mean().item<float>() < 0);
    }

    [Fact]
    public void Smoothness_is_weighted_lambda_over_four_to_the_scale()
    {
        using var scope = NewDisposeScope();
        manual_seed(6);
        var target = rand(1, 3, 16, 16);
        var depth = rand(1, 1, 16, 16) + 1;
        using var with = new SelfSupervisedLoss(new LossOptions(Smoothness: 0.5));
        using var without = new SelfSupervisedLoss(new LossOptions());
        var inputs = Inputs(target, [target.roll(2, 3)], [[target], [target]], [depth, depth]);
        double diff = with.forward(inputs).Total.item<float>() - without.forward(inputs).Total.item<float>();
        double smooth = SmoothnessLoss.Compute(depth.reciprocal(), target).item<float>();
        Assert.Equal(0.5 * smooth * (1 + 0.25), diff, 4);
    }
}

using Mlda.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Mlda.Losses;

/// <summary>
/// Photometric error pe(a, b) = 0.85·mean_c SSIM-loss + 0.15·mean_c |a − b| (monodepth2
/// <c>trainer.py</c> <c>compute_reprojection_loss</c>): one channel per pixel, [B, 1, H, W].
/// </summary>
public sealed class ReprojectionLoss : nn.Module<Tensor, Tensor, Tensor>
{
    const double SsimWeight = 0.85;
    readonly Ssim ssim = new();

    public ReprojectionLoss() : base(nameof(ReprojectionLoss)) => RegisterComponents();

    public override Tensor forward(Tensor prediction, Tensor target)
    {
        var l1 = (target - prediction).abs().mean([1], keepdim: true);
        var ssimLoss = ssim.forward(prediction, target).mean([1], keepdim: true);
        return SsimWeight * ssimLoss + (1 - SsimWeight) * l1;
    }
}

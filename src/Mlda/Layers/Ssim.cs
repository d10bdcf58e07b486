using TorchSharp;
using static TorchSharp.torch;

namespace Mlda.Layers;

/// <summary>
/// The SSIM loss map of the <c>SSIM</c> layer (<c>networks/layers.py</c>): reflection padding 1, 3×3 mean pools at
/// stride 1, C1 = 0.01², C2 = 0.03², loss = clip((1 − SSIM)/2, 0, 1), per pixel and channel.
/// </summary>
public sealed class Ssim : nn.Module<Tensor, Tensor, Tensor>
{
    const double C1 = 0.01 * 0.01;
    const double C2 = 0.03 * 0.03;

    public Ssim() : base(nameof(Ssim)) { }

    public override Tensor forward(Tensor x, Tensor y)
    {
        x = nn.functional.pad(x, new long[] { 1, 1, 1, 1 }, PaddingModes.Reflect);
        y = nn.functional.pad(y, new long[] { 1, 1, 1, 1 }, PaddingModes.Reflect);
        var muX = Pool(x);
        var muY = Pool(y);
        var sigmaX = Pool(x * x) - muX * muX;
        var sigmaY = Pool(y * y) - muY * muY;
        var sigmaXy = Pool(x * y) - muX * muY;
        var n = (2 * muX * muY + C1) * (2 * sigmaXy + C2);
        var d = (muX * muX + muY * muY + C1) * (sigmaX + sigmaY + C2);
        return ((1 - n / d) / 2).clamp(0, 1);
    }

    static Tensor Pool(Tensor t) => nn.functional.avg_pool2d(t, 3, stride: 1);
}

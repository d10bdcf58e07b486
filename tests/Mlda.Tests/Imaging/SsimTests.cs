using static TorchSharp.torch;
using CoreSsim = Mlda.Core.Imaging.Ssim;

namespace Mlda.Tests.Imaging;

public class SsimTests
{
    static float[] Random(int n, int seed)
    {
        var rng = new Random(seed);
        return [.. Enumerable.Range(0, n).Select(_ => (float)rng.NextDouble())];
    }

    [Fact]
    public void Identical_images_have_zero_loss()
    {
        var y = Random(13 * 17, 1);
        Assert.All(CoreSsim.LossMap(y, y, 13, 17), v => Assert.True(Math.Abs(v) < 1e-6, $"{v}"));
    }

    [Fact]
    public void Matches_the_training_ssim_layer()
    {
        // The TorchSharp layer the trainer uses (pad + avg_pool2d) is an independent formulation of the same SSIM.
        const int H = 19, W = 23;
        var x = Random(H * W, 2);
        var y = Random(H * W, 3);
        for (int i = 0; i < 40; i++) x[i] = y[i]; // some structure, some noise
        var core = CoreSsim.LossMap(x, y, H, W);
        using var scope = NewDisposeScope();
        using var layer = new Mlda.Layers.Ssim();
        var t = layer.forward(tensor(x).view(1, 1, H, W), tensor(y).view(1, 1, H, W)).flatten().data<float>().ToArray();
        for (int i = 0; i < core.Length; i++) Assert.True(Math.Abs(core[i] - t[i]) < 2e-5, $"pixel {i}: {core[i]} vs {t[i]}");
    }

    [Fact]
    public void AddLoss_accumulates()
    {
        var x = Random(5 * 6, 4);
        var y = Random(5 * 6, 5);
        var ssim = new CoreSsim(y, 5, 6);
        var once = new float[30];
        ssim.Loss(x, once);
        var sum = Enumerable.Repeat(1f, 30).ToArray();
        ssim.AddLoss(x, sum);
        for (int i = 0; i < 30; i++) Assert.Equal(once[i] + 1f, sum[i], 6);
    }
}

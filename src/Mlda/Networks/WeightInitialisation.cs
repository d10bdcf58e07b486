using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Mlda.Networks;

/// <summary>
/// The reference's initialisation: every convolution N(0, √(2/fan_in)) (Paddle's default Conv2D initialiser, and
/// the KaimingNormal the multi-image ResNet applies), biases 0, batch norm γ=1, β=0 with fresh running statistics.
/// Draws come from the given generator in module order, so one seed gives the same weights on any machine.
/// </summary>
public static class WeightInitialisation
{
    public static void Apply(Module module, Generator generator)
    {
        using var _ = no_grad();
        foreach (var (_, m) in module.named_modules())
        {
            switch (m)
            {
                case Conv2d conv:
                    var w = conv.weight!;
                    var fanIn = w.shape[1] * w.shape[2] * w.shape[3];
                    // Drawn with randn and copied: init.normal_ does not take the generator into account here.
                    using (var draw = randn(w.shape, generator: generator)) w.copy_(draw.mul_(Math.Sqrt(2.0 / fanIn)));
                    if (conv.bias is { } b) init.zeros_(b);
                    break;
                case BatchNorm2d bn:
                    init.ones_(bn.weight!);
                    init.zeros_(bn.bias!);
                    bn.reset_running_stats();
                    break;
            }
        }
    }
}

using Mlda.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace Mlda.Tests.Networks;

public class NetworkGradientTests
{
    [Theory]
    [InlineData(PoseEncoderKind.Mlda)]
    [InlineData(PoseEncoderKind.Light)]
    public void Every_parameter_gets_a_gradient_except_the_pose_encoders_dead_branches(PoseEncoderKind kind)
    {
        using var nets = MldaNetworks.Create(new ModelOptions(64, 96, kind), imageNetPretrained: false, seed: 11);
        nets.Train();
        using var scope = NewDisposeScope();
        var gen = new Generator(5);
        var target = rand(2, 3, 64, 96, generator: gen);
        var previous = rand(2, 3, 64, 96, generator: gen);
        var next = rand(2, 3, 64, 96, generator: gen);

        // A training-style loss: every disparity scale and both pose pairs feed it (the photometric terms live
        // elsewhere; what matters here is which parameters the graph reaches).
        var disps = nets.Depth.call(nets.Encoder.call(target));
        var loss = zeros(1);
        for (var s = 0; s < disps.Length; s++) loss = loss + (disps[s] - 0.3).abs().mean() / (1 << s);
        foreach (var pair in new[] { cat([previous, target], 1), cat([target, next], 1) })
        {
            var (axisAngle, translation) = nets.Pose.call(nets.PoseEncoder.ForwardLastLevel(pair));
            loss = loss + (axisAngle[.., 0] - 0.01).square().sum() + (translation[.., 0] + 0.02).square().sum();
        }
        loss.backward();

        var withoutGradient = new List<string>();
        var deadWithGradient = new List<string>();
        foreach (var (network, module) in nets.Named())
        {
            foreach (var (name, p) in module.named_parameters())
            {
                var dead = network == MldaNetworks.PoseEncoderName && kind == PoseEncoderKind.Mlda
                    && MldaEncoder.DeadPrefixesWhenLastLevelOnly.Any(d => name.StartsWith(d, StringComparison.Ordinal));
                var hasGradient = p.grad is { } g && g.abs().max().item<float>() > 0;
                if (dead && p.grad is not null) deadWithGradient.Add($"{network}.{name}");
                if (!dead && !hasGradient) withoutGradient.Add($"{network}.{name}");
            }
        }
        Assert.Empty(withoutGradient);
        Assert.Empty(deadWithGradient);
    }
}

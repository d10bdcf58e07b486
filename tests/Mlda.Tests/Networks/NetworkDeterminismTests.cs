using Mlda.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace Mlda.Tests.Networks;

public class NetworkDeterminismTests
{
    static Dictionary<string, Tensor> AllTensors(MldaNetworks nets) =>
        nets.Named().SelectMany(n => n.Module.state_dict().Select(kv => (Key: $"{n.Name}.{kv.Key}", kv.Value)))
            .ToDictionary(kv => kv.Key, kv => kv.Value);

    [Fact]
    public void Same_seed_gives_the_same_weights_and_another_seed_does_not()
    {
        var options = new ModelOptions(64, 96);
        using var a = MldaNetworks.Create(options, imageNetPretrained: false, seed: 42);
        using var b = MldaNetworks.Create(options, imageNetPretrained: false, seed: 42);
        using var c = MldaNetworks.Create(options, imageNetPretrained: false, seed: 43);
        var ta = AllTensors(a);
        var tb = AllTensors(b);
        var tc = AllTensors(c);
        Assert.Equal(ta.Keys.Order(), tb.Keys.Order());
        foreach (var (name, t) in ta) Assert.True(TensorAssert.Identical(t, tb[name]), name);
        Assert.False(TensorAssert.Identical(ta["encoder.convs10.weight"], tc["encoder.convs10.weight"]));
        Assert.False(TensorAssert.Identical(ta["pose.net.3.weight"], tc["pose.net.3.weight"]));
    }

    [Fact]
    public void Initialisation_is_kaiming_normal_with_zero_biases_and_unit_batch_norm()
    {
        using var nets = MldaNetworks.Create(new ModelOptions(64, 96), imageNetPretrained: false, seed: 7);
        var sd = nets.Encoder.state_dict();
        // convs512_1: fan_in 1024*9, 4.7 M draws: the sample std is within 0.5% of sqrt(2/fan_in).
        var w = sd["convs512_1.weight"];
        var expected = Math.Sqrt(2.0 / (1024 * 9));
        Assert.InRange(w.std().item<float>(), expected * 0.995, expected * 1.005);
        Assert.InRange(w.mean().item<float>(), -expected * 0.01, expected * 0.01);
        Assert.Equal(0f, sd["convs512_1.bias"].abs().max().item<float>());
        Assert.Equal(1f, sd["bn512_1.weight"].min().item<float>());
        Assert.Equal(0f, sd["bn512_1.bias"].abs().max().item<float>());
        var gate = nets.Depth.state_dict()["decoder.1.theta.weight"];
        Assert.InRange(gate.std().item<float>(), Math.Sqrt(2.0 / 256) * 0.97, Math.Sqrt(2.0 / 256) * 1.03);
    }
}

using Mlda.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace Mlda.Tests.Networks;

public class NetworkArchitectureTests
{
    static long Count(nn.Module m) => m.parameters().Sum(p => p.numel());

    [Fact]
    public void Parameter_counts_match_the_reference_used_parameters()
    {
        using var nets = MldaNetworks.Create(new ModelOptions(), imageNetPretrained: false, seed: 1);
        var counts = nets.Named().ToDictionary(n => n.Name, n => Count(n.Module));
        // Spec §9: used parameters (no classifier; the decoder's never-called GA blocks are not built).
        Assert.Equal(33_760_832, counts["encoder"]);
        Assert.Equal(3_328_809, counts["depth"]);
        Assert.Equal(33_797_888, counts["pose_encoder"]);
        Assert.Equal(1_314_572, counts["pose"]);

        // pose_decoder.py reads the last level only: the pose encoder's dead branches hold 5,800,960 parameters.
        var dead = nets.PoseEncoder.Module.named_parameters()
            .Where(p => MldaEncoder.DeadPrefixesWhenLastLevelOnly.Any(d => p.name.StartsWith(d, StringComparison.Ordinal)))
            .Sum(p => p.parameter.numel());
        Assert.Equal(5_800_960, dead);
    }

    [Fact]
    public void Light_pose_encoder_is_a_six_channel_resnet18()
    {
        using var nets = MldaNetworks.Create(new ModelOptions(PoseEncoder: PoseEncoderKind.Light), imageNetPretrained: false, seed: 1);
        Assert.Equal(11_176_512 + 64 * 3 * 7 * 7, Count(nets.PoseEncoder.Module));
    }

    [Fact]
    public void State_dict_names_follow_the_reference()
    {
        using var nets = MldaNetworks.Create(new ModelOptions(), imageNetPretrained: false, seed: 1);
        var encoder = nets.Encoder.state_dict().Keys.ToHashSet();
        foreach (var name in new[] { "convs10.weight", "convs10.bias", "bn10.running_mean", "bn10.running_var", "anet_64_1.K.weight",
                     "anet_512.local_weight.weight", "convs512_2.bias", "bn64_3.weight", "encoder.conv1.weight", "encoder.bn1.running_var",
                     "encoder.layer1.0.conv1.weight", "encoder.layer2.0.downsample.0.weight", "encoder.layer2.0.downsample.1.running_mean",
                     "encoder.layer4.1.bn2.bias" })
            Assert.Contains(name, encoder);
        Assert.DoesNotContain(encoder, n => n.StartsWith("encoder.fc", StringComparison.Ordinal));

        var depth = nets.Depth.state_dict().Keys.ToHashSet();
        foreach (var name in new[] { "decoder.1.theta.weight", "decoder.5.psi.bias", "decoder.6.conv.conv.weight", "decoder.8.conv.conv.bias",
                     "decoder.18.conv.conv.weight", "decoder.20.conv.conv.weight", "decoder.21.conv.weight", "decoder.24.conv.bias" })
            Assert.Contains(name, depth);
        // The never-called ConvBlock_attention blocks are not built.
        foreach (var idx in new[] { 7, 10, 13, 16, 19 })
            Assert.DoesNotContain(depth, n => n.StartsWith($"decoder.{idx}.", StringComparison.Ordinal));
        // 5 gates x (theta, phi, psi) x (weight, bias) + 10 ConvBlocks + 4 heads, each weight and bias.
        Assert.Equal(5 * 6 + 10 * 2 + 4 * 2, depth.Count);

        var pose = nets.Pose.state_dict().Keys.Order().ToArray();
        Assert.Equal(new[] { "net.0.bias", "net.0.weight", "net.1.bias", "net.1.weight", "net.2.bias", "net.2.weight", "net.3.bias", "net.3.weight" }, pose);
        Assert.Equal(new long[] { 64, 6, 7, 7 }, nets.PoseEncoder.Module.state_dict()["encoder.conv1.weight"].shape);
    }
}

public class ModelOptionsTests
{
    [Fact]
    public void Options_round_trip_through_json_with_named_enums()
    {
        var options = new ModelOptions(96, 320, PoseEncoderKind.Light, 0.2, 80, [0, 1]);
        var json = System.Text.Json.JsonSerializer.Serialize(options);
        Assert.Contains("\"Light\"", json);
        Assert.DoesNotContain("EffectiveScales", json);
        var back = System.Text.Json.JsonSerializer.Deserialize<ModelOptions>(json)!;
        Assert.Equal(options with { Scales = null }, back with { Scales = null });
        Assert.Equal(new[] { 0, 1 }, back.Scales);
        Assert.Equal(new[] { 0, 1, 2, 3 }, new ModelOptions().EffectiveScales);
    }

    [Theory]
    [InlineData(100, 640)]
    [InlineData(32, 640)]
    [InlineData(192, 0)]
    public void Sizes_the_encoder_cannot_take_are_rejected(int height, int width) =>
        Assert.Throws<ArgumentException>(() => new ModelOptions(height, width).Validate());

    [Fact]
    public void Scales_must_be_a_prefix_of_0_to_3()
    {
        Assert.Throws<ArgumentException>(() => new ModelOptions(Scales: [1, 2]).Validate());
        new ModelOptions(Scales: [0]).Validate();
        using var decoder = new DepthDecoder("depth", [0]);
        Assert.DoesNotContain(decoder.state_dict().Keys, k => k.StartsWith("decoder.22.", StringComparison.Ordinal));
        Assert.Contains("decoder.21.conv.weight", decoder.state_dict().Keys);
    }
}

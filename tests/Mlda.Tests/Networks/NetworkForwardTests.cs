using Mlda.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace Mlda.Tests.Networks;

public class NetworkForwardTests
{
    [Theory]
    [InlineData(640, 192)]
    [InlineData(320, 96)]
    public void Output_shapes_follow_the_input_size(int width, int height)
    {
        using var nets = MldaNetworks.Create(new ModelOptions(height, width), imageNetPretrained: false, seed: 3);
        nets.Eval();
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var image = rand(1, 3, height, width);
        var features = nets.Encoder.call(image);
        long[] channels = [64, 64, 128, 256, 512];
        for (var l = 0; l < 5; l++)
            Assert.Equal(new long[] { 1, channels[l], height >> (l + 1), width >> (l + 1) }, features[l].shape);

        var disps = nets.Depth.call(features);
        Assert.Equal(4, disps.Length);
        for (var s = 0; s < 4; s++)
        {
            Assert.Equal(new long[] { 1, 1, height >> s, width >> s }, disps[s].shape);
            Assert.True(disps[s].min().item<float>() >= 0 && disps[s].max().item<float>() <= 1);
        }

        var pair = rand(1, 6, height, width);
        var last = nets.PoseEncoder.ForwardLastLevel(pair);
        Assert.Equal(new long[] { 1, 512, height / 32, width / 32 }, last.shape);
        var (axisAngle, translation) = nets.Pose.call(last);
        Assert.Equal(new long[] { 1, 2, 1, 3 }, axisAngle.shape);
        Assert.Equal(new long[] { 1, 2, 1, 3 }, translation.shape);
    }
}

using Mlda.Core.Imaging;
using Mlda.Evaluation;
using Mlda.Networks;
using Mlda.Training;

namespace Mlda.Tests.Training;

public class InitialDepthTests
{
    [Fact]
    public void The_disparity_heads_start_near_the_requested_depth()
    {
        using var nets = MldaNetworks.Create(new ModelOptions(64, 128), imageNetPretrained: false, seed: 1, withPose: false);
        using var predictor = new SplitPredictor(nets);
        var image = new ByteImage(64, 128, 3, Enumerable.Range(0, 64 * 128 * 3).Select(i => (byte)(i * 37 % 251)).ToArray());
        double MedianDepth() => 1 / predictor.Predict([image])[0].Values.Order().ElementAt(64 * 128 / 2);
        double before = MedianDepth();
        Trainer.SetInitialDepth(nets, 4.0);
        double after = MedianDepth();
        Assert.NotEqual(4.0, before, 1);
        Assert.Equal(4.0, after, 3);
    }
}

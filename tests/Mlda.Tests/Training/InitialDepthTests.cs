using Mlda.Core.Prediction;
using Mlda.Networks;
using Mlda.Prediction;
using Mlda.Training;

namespace Mlda.Tests.Training;

public class InitialDepthTests
{
    [Fact]
    public void The_disparity_heads_start_near_the_requested_depth()
    {
        using var nets = MldaNetworks.Create(new ModelOptions(64, 128), imageNetPretrained: false, seed: 1, withPose: false);
        using var model = new TorchDisparityModel(nets, ownsNetworks: false);
        var predictor = new DepthPredictor(model, new DepthScaling(nets.Options.MinDepth, nets.Options.MaxDepth));
        var image = Enumerable.Range(0, 64 * 128 * 3).Select(i => (byte)(i * 37 % 251) / 255f).ToArray();
        double MedianDepth() => 1 / predictor.ScaledDisparity(predictor.PredictNetworkSize(image, 1).Sigmoid[0]).Values.Order().ElementAt(64 * 128 / 2);
        double before = MedianDepth();
        Trainer.SetInitialDepth(nets, 4.0);
        double after = MedianDepth();
        Assert.NotEqual(4.0, before, 1);
        Assert.Equal(4.0, after, 3);
    }
}

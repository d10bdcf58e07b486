using Mlda.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace Mlda.Tests.Networks;

public class NetworkComplexityTests
{
    [Fact]
    public void Resnet18_at_224_counts_the_textbook_convolution_macs()
    {
        using var backbone = new ResNetBackbone("r", 3);
        backbone.eval();
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var macs = NetworkComplexity.Count(backbone, () => backbone.call(zeros(1, 3, 224, 224)));
        // conv1 + layer1 (4 convs at 56²) + per later layer: strided 3x3, three 3x3, 1x1 downsample.
        long Conv(long cout, long cin, long k, long side) => cout * cin * k * k * side * side;
        var expected = Conv(64, 3, 7, 112) + 4 * Conv(64, 64, 3, 56)
            + Conv(128, 64, 3, 28) + 3 * Conv(128, 128, 3, 28) + Conv(128, 64, 1, 28)
            + Conv(256, 128, 3, 14) + 3 * Conv(256, 256, 3, 14) + Conv(256, 128, 1, 14)
            + Conv(512, 256, 3, 7) + 3 * Conv(512, 512, 3, 7) + Conv(512, 256, 1, 7);
        Assert.Equal(1_813_561_344L, expected);
        Assert.Equal(expected, macs);
    }

    [Fact]
    public void Global_attention_counts_its_convolutions_and_both_products()
    {
        using var ga = new GlobalAttention("ga", 16);
        using var wrapper = nn.Sequential(("ga", ga));
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var macs = NetworkComplexity.Count(wrapper, () => wrapper.call(zeros(2, 16, 6, 10)));
        const long n = 60, c = 16, b = 2;
        Assert.Equal(b * (3 * c * c * 9 * n + c * c * n + 2 * c * c * n), macs);
    }

    [Fact]
    public void Measure_reports_the_reference_parameter_counts_and_macs_that_scale_with_the_pixels()
    {
        // Parameter counts do not depend on the size; a small size keeps the test fast.
        var costs = NetworkComplexity.Measure(new ModelOptions(128, 256)).ToDictionary(c => c.Name);
        Assert.Equal(33_760_832, costs["encoder"].Parameters);
        Assert.Equal(3_328_809, costs["depth"].Parameters);
        Assert.Equal(33_797_888, costs["pose_encoder"].Parameters);
        Assert.Equal(1_314_572, costs["pose"].Parameters);
        Assert.All(costs.Values, c => Assert.True(c.MultiplyAccumulates > 0));
        // Convolution MACs scale with the pixel count.
        var half = NetworkComplexity.Measure(new ModelOptions(64, 128)).ToDictionary(c => c.Name);
        Assert.Equal(costs["depth"].MultiplyAccumulates, 4 * half["depth"].MultiplyAccumulates, tolerance: costs["depth"].MultiplyAccumulates * 0.05);
    }
}

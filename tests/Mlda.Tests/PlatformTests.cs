using OpenCvSharp;
using TorchSharp;
using static TorchSharp.torch;

namespace Mlda.Tests;

public class PlatformTests
{
    [Fact]
    public void TorchSharp_native_library_loads_and_computes()
    {
        using var scope = NewDisposeScope();
        var conv = nn.Conv2d(3, 4, 3, padding: 1);
        var x = randn(2, 3, 8, 8, requires_grad: true);
        var y = conv.forward(x).relu().sum();
        y.backward();
        Assert.NotNull(x.grad);
        Assert.Equal(new long[] { 2, 3, 8, 8 }, x.grad!.shape);
    }

    [Fact]
    public void OpenCv_native_library_loads_and_reads_a_real_png()
    {
        var png = Path.Combine(SharedData.KittiRawSample, SharedData.Date, SharedData.Drive, "image_02", "data", "0000000000.png");
        using var img = Cv2.ImRead(png, ImreadModes.Color);
        Assert.Equal(1242, img.Width);
        Assert.Equal(375, img.Height);
    }
}

using Mlda.Core.Hints;
using Mlda.Core.Imaging;
using Mlda.Layers;
using Mlda.Losses;
using static TorchSharp.torch;

namespace Mlda.Tests.Hints;

public class StereoPhotometricErrorTests
{
    static ByteImage RandomImage(int h, int w, int seed)
    {
        var rng = new Random(seed);
        var image = new ByteImage(h, w, 3);
        rng.NextBytes(image.Pixels);
        return image;
    }

    /// <summary>
    /// depth-hints warps with monodepth2's BackprojectDepth → Project3D → grid_sample and scores with
    /// compute_reprojection_loss; the training code's TorchSharp layers do the same, so the row-shift shortcut must
    /// agree with them, zero depths (sent to the top corner pixel) included, for both sides.
    /// </summary>
    [Theory]
    [InlineData(StereoSide.Left)]
    [InlineData(StereoSide.Right)]
    public void Matches_the_reference_warp_and_reprojection_loss(StereoSide side)
    {
        const int H = 24, W = 40;
        var baseImage = RandomImage(H, W, 1);
        var otherImage = RandomImage(H, W, 2);
        var options = new DepthHintOptions { Width = W, Height = H };
        var rng = new Random(3);
        var depth = new FloatMap(H, W);
        for (int i = 0; i < depth.Values.Length; i++)
        {
            float disparity = i % 7 == 0 ? 0 : (float)(rng.NextDouble() * 12 - 1); // some zero and negative (invalid)
            depth.Values[i] = options.FocalLengthTimesBaseline / (disparity + 1e-7f) * (disparity > 0 ? 1f : 0f);
        }
        var error = new float[H * W];
        new StereoPhotometricError(baseImage, otherImage, side, options.FocalLengthTimesBaseline).Compute(depth, error);

        using var scope = NewDisposeScope();
        var k = eye(4);
        k[0, 0] = 0.58f * W; k[0, 2] = 0.5f * W; k[1, 1] = 1.92f * H; k[1, 2] = 0.5f * H;
        var t = eye(4);
        t[0, 3] = side == StereoSide.Left ? -0.1f : 0.1f;
        using var synthesis = new ViewSynthesis(H, W);
        using var loss = new ReprojectionLoss();
        var warped = synthesis.forward(Planes(otherImage), tensor(depth.Values).view(1, 1, H, W), k.unsqueeze(0), linalg.inv(k).unsqueeze(0), t.unsqueeze(0));
        var reference = loss.forward(warped, Planes(baseImage)).flatten().data<float>().ToArray();
        for (int i = 0; i < error.Length; i++)
            Assert.True(Math.Abs(error[i] - reference[i]) < 1e-4, $"pixel {i}: {error[i]} vs reference {reference[i]}");
    }

    static Tensor Planes(ByteImage image) =>
        tensor(image.Pixels.Select(b => b / 255f).ToArray()).view(1, image.Height, image.Width, 3).permute(0, 3, 1, 2).contiguous();
}

using Mlda.Core.Imaging;
using Mlda.Core.Kitti;
using Mlda.Interop;
using Mlda.Networks;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Mlda.Tests.Scenes;

/// <summary>
/// Where mode M starts: monodepth2's pose decoder scales its output by 0.01, so an untrained pose network predicts
/// almost no motion. The parallax it implies, f·|t|/Z, is what the photometric loss can see at the start; with the
/// disparity heads started far away (<c>initialDepth</c> 3 units, the stereo recipe's) it is a fraction of a pixel,
/// and the depth's gradient, proportional to |t|/Z², vanishes with it.
/// </summary>
public class MotionStartTests(ITestOutputHelper output)
{
    [Fact]
    public void TheUntrainedPoseNetworkPredictsNearlyNoMotion()
    {
        var folder = SharedData.Date + "/" + SharedData.Drive;
        var images = Enumerable.Range(0, 3).Select(i =>
            PilResize.Lanczos(ImageFile.LoadRgb(KittiRawLayout.ImagePath(SharedData.KittiRawSample, folder, 2, i)), 192, 64)).ToList();
        foreach (var kind in new[] { PoseEncoderKind.Light, PoseEncoderKind.Mlda })
        {
            using var nets = MldaNetworks.Create(new ModelOptions(Height: 64, Width: 192, PoseEncoder: kind), imageNetPretrained: true, seed: 0, withPose: true);
            nets.Eval();
            using var noGrad = no_grad();
            using var noGc = new NoGcRegion();
            using var scope = NewDisposeScope();
            Tensor Chw(ByteImage img) => tensor(img.Pixels.Select(p => p / 255f).ToArray(), [64, 192, 3]).permute(2, 0, 1);
            var pair = cat([stack([Chw(images[0]), Chw(images[1])]), stack([Chw(images[1]), Chw(images[2])])], 1); // [2,6,64,192]
            var (axisAngle, translation) = nets.Pose.forward(nets.PoseEncoder.ForwardLastLevel(pair));
            double t = translation.select(1, 0).norm(1).mean().item<float>();
            double r = axisAngle.select(1, 0).norm(1).mean().item<float>();
            double fx = 0.58 * 192;
            // forward-motion parallax fx·(X/Z)·(|t|/Z) of a point half a focal length off the axis (X/Z = 0.5), for
            // the heads' start at depth 3 (the stereo recipe's) and at 0.3
            output.WriteLine($"{kind}: |t| {t:E2} units, |axis-angle| {r:E2} rad; parallax at depth 3: {fx * 0.5 * t / 3:F3} px, at depth 0.3: {fx * 0.5 * t / 0.3:F3} px");
            Assert.True(t < 0.05 && r < 0.05, $"{kind}: the pose decoder's start is not near the identity (|t| {t}, |r| {r})");
        }
    }
}

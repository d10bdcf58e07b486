using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Mlda.Core.Imaging;
using Mlda.Core.Kitti;

namespace Mlda.Tests.Kitti;

public class TrainingGroundTruthTests
{
    // Expected: skimage 0.19.3, resize(a, (375, 1242), order=0, preserve_range=True, mode='constant') of
    // a[r, c] = r*2048 + c + 1 (float64), cast to float32; SHA-256 of the bytes, and two sample values.
    [Theory]
    [InlineData(376, 1241, "0d2f7cb168b41d98a574e296ec175b9b8b9f6e5760d624b4f1f7aeddaf47737f", 385025f, 769241f)]
    [InlineData(370, 1226, "56a6562387ca3433a8062752bb461a9df577e241d937b4f1d3419af21e4aedc8", 378881f, 756938f)]
    [InlineData(374, 1238, "94ac942e5d2a16681b5790fc7b4b73ee4580f9114b52f4953f91584461d96ed9", 382977f, 765142f)]
    public void NearestResizeMatchesSkimage(int h, int w, string sha256, float at187_0, float atLast)
    {
        var a = new FloatMap(h, w);
        for (int r = 0; r < h; r++)
            for (int c = 0; c < w; c++)
                a[r, c] = r * 2048 + c + 1;
        var o = NearestResize.Skimage(a, 375, 1242);
        Assert.Equal(at187_0, o[187, 0]);
        Assert.Equal(atLast, o[374, 1241]);
        Assert.Equal(sha256, Convert.ToHexStringLower(SHA256.HashData(MemoryMarshal.AsBytes(o.Values.AsSpan()))));
    }

    [Fact]
    public void SampleDateNeedsNoResizeAndFlipMirrors()
    {
        var calib = CameraCalibration.Load(Path.Combine(SharedData.KittiRawSample, SharedData.Date));
        var scan = KittiRawLayout.VelodynePath(SharedData.KittiRawSample, $"{SharedData.Date}/{SharedData.Drive}", 0);
        var gt = TrainingGroundTruth.Load(calib, scan, camera: 3);
        Assert.Equal(LidarGroundTruth.Generate(calib, VelodyneScan.Read(scan), 3, false).Values, gt.Values);
        var flipped = TrainingGroundTruth.Load(calib, scan, camera: 3, flip: true);
        Assert.Equal(gt[200, 0], flipped[200, 1241]);
        Assert.Equal(gt.Values.Count(v => v > 0), flipped.Values.Count(v => v > 0));
    }
}

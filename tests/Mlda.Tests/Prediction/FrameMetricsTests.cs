using Mlda.Core.Imaging;
using Mlda.Core.Kitti;
using Mlda.Core.Prediction;

namespace Mlda.Tests.Prediction;

public class FrameMetricsTests
{
    [Fact]
    public void A_prediction_proportional_to_the_lidar_depth_scores_perfectly_after_median_scaling()
    {
        var calibDir = Path.Combine(SharedData.KittiRawSample, SharedData.Date);
        var velo = Path.Combine(calibDir, SharedData.Drive, "velodyne_points", "data", "0000000000.bin");
        var gt = LidarGroundTruth.Generate(CameraCalibration.Load(calibDir), VelodyneScan.Read(velo), cam: 2, velodyneDepth: false);
        var pred = new FloatMap(gt.Height, gt.Width, gt.Values.Select(v => v > 0 ? Math.Min(v, 80f) * 0.5f : 10f).ToArray());
        var m = FrameMetrics.Compute(pred, calibDir, velo);
        Assert.True(m.AbsRel < 1e-3, $"abs_rel {m.AbsRel}");   // the reference clamps to [1e-3, 80] before and after scaling: only points beyond 80 m differ
        Assert.True(m.A1 > 0.99, $"a1 {m.A1}");
        var constant = FrameMetrics.Compute(new FloatMap(gt.Height, gt.Width, Enumerable.Repeat(5f, gt.Values.Length).ToArray()), calibDir, velo);
        Assert.True(constant.AbsRel > 0.2, $"a constant depth must score badly: {constant.AbsRel}");
    }

    [Fact]
    public void Missing_scan_is_bad_input()
    {
        var calibDir = Path.Combine(SharedData.KittiRawSample, SharedData.Date);
        Assert.Throws<Mlda.Core.InputException>(() => FrameMetrics.Compute(new FloatMap(2, 2), calibDir, Path.Combine(calibDir, "nope.bin")));
    }
}

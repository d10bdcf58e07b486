using Mlda.Core.Evaluation;
using Mlda.Core.Imaging;
using Mlda.Core.Kitti;

namespace Mlda.Core.Prediction;

/// <summary>
/// The metrics the reference's predict.py/inference.py print for one frame: ground truth from the Velodyne scan
/// (camera 2, projected z, nearest-resized to 375x1242), the predicted depth resized bilinearly to 375x1242, then
/// the reference's validation metric (Garg crop, median scaling, clamp to [1e-3, 80]).
/// </summary>
public static class FrameMetrics
{
    public static DepthMetrics Compute(FloatMap predictedDepth, string calibDir, string velodyneFile)
    {
        if (!File.Exists(velodyneFile)) throw new InputException(velodyneFile, "Velodyne scan not found");
        var calib = CameraCalibration.Load(calibDir);
        var gtResized = TrainingGroundTruth.Load(calib, velodyneFile, camera: 2);
        var pred = InputSizeResize.Bilinear(predictedDepth, ValidationMetric.Height, ValidationMetric.Width);
        return ValidationMetric.Compute([pred], [gtResized]);
    }
}

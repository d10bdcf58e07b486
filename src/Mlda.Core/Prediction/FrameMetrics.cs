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
        var gt = LidarGroundTruth.Generate(calib, VelodyneScan.Read(velodyneFile), cam: 2, velodyneDepth: false);
        var gtResized = ResizeNearest(gt, ValidationMetric.Height, ValidationMetric.Width);
        var pred = InputSizeResize.Bilinear(predictedDepth, ValidationMetric.Height, ValidationMetric.Width);
        return ValidationMetric.Compute([pred], [gtResized]);
    }

    /// <summary>skimage <c>resize(order=0)</c>: each output pixel takes the input pixel under its centre.</summary>
    public static FloatMap ResizeNearest(FloatMap map, int height, int width)
    {
        if (map.Height == height && map.Width == width) return map.Clone();
        var result = new FloatMap(height, width);
        double sy = (double)map.Height / height, sx = (double)map.Width / width;
        for (int r = 0; r < height; r++)
        {
            int y = Math.Clamp((int)Math.Round((r + 0.5) * sy - 0.5, MidpointRounding.ToEven), 0, map.Height - 1);
            for (int c = 0; c < width; c++)
            {
                int x = Math.Clamp((int)Math.Round((c + 0.5) * sx - 0.5, MidpointRounding.ToEven), 0, map.Width - 1);
                result[r, c] = map[y, x];
            }
        }
        return result;
    }
}

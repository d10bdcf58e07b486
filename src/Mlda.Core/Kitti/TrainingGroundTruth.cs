using Mlda.Core.Imaging;

namespace Mlda.Core.Kitti;

/// <summary>
/// The ground truth the reference loads during training and validation (monodepth2/MLDA
/// <c>KITTIRAWDataset.get_depth</c>): camera z depth (<c>vel_depth=False</c>) of the side's camera, resized to
/// 375x1242 with <c>skimage.transform.resize(order=0, preserve_range=True, mode='constant')</c>, mirrored when the
/// item is flipped. It feeds <see cref="Evaluation.ValidationMetric"/>; it is not the Eigen evaluation GT.
/// </summary>
public static class TrainingGroundTruth
{
    public const int Height = 375;
    public const int Width = 1242;

    public static FloatMap Load(CameraCalibration calib, string velodynePath, int camera, bool flip = false)
    {
        var depth = LidarGroundTruth.Generate(calib, VelodyneScan.Read(velodynePath), camera, velodyneDepth: false);
        var resized = NearestResize.Skimage(depth, Height, Width);
        return flip ? Evaluation.DisparityPostProcess.FlipHorizontal(resized) : resized;
    }
}

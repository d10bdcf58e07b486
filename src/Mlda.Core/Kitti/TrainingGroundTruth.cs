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
        var resized = ResizeNearest(depth, Height, Width);
        return flip ? Evaluation.DisparityPostProcess.FlipHorizontal(resized) : resized;
    }

    /// <summary>
    /// skimage's order-0 resize: output pixel (r, c) samples input (f_r·(r+0.5) − 0.5, f_c·(c+0.5) − 0.5) with
    /// f = in/out, rounded half away from zero (C <c>round</c>). Samples outside the input are 0 (mode 'constant').
    /// The anti-aliasing skimage applies when shrinking is a Gaussian of sigma (f−1)/2, which for the KITTI sizes
    /// (376→375 rows) has a one-tap kernel and changes nothing; a strong reduction (f ≥ about 1.25) is smoothed by
    /// skimage and not here. Bit-exact with skimage 0.19 from 376x1241, 370x1226 and 374x1238 to 375x1242.
    /// </summary>
    public static FloatMap ResizeNearest(FloatMap src, int height, int width)
    {
        if (src.Height == height && src.Width == width) return src.Clone();
        double fr = (double)src.Height / height, fc = (double)src.Width / width;
        var dst = new FloatMap(height, width);
        var cols = new int[width];
        for (int c = 0; c < width; c++) cols[c] = (int)Math.Round(fc * (c + 0.5) - 0.5, MidpointRounding.AwayFromZero);
        for (int r = 0; r < height; r++)
        {
            int sr = (int)Math.Round(fr * (r + 0.5) - 0.5, MidpointRounding.AwayFromZero);
            if (sr < 0 || sr >= src.Height) continue;
            var srcRow = src.Row(sr);
            var dstRow = dst.Row(r);
            for (int c = 0; c < width; c++)
                if (cols[c] >= 0 && cols[c] < src.Width) dstRow[c] = srcRow[cols[c]];
        }
        return dst;
    }
}

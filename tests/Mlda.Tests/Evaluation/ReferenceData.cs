using Mlda.Core.Imaging;
using Mlda.Core.Kitti;

namespace Mlda.Tests.Evaluation;

/// <summary>
/// The inputs that reference_numpy.py (beside this file) evaluated with numpy 1.24 / cv2 4.6 to produce the
/// expected values of these tests: the Eigen GT of sample frames 0, 3, 6, 9 and synthetic disparities rebuilt here
/// bit for bit (only +, *, /, % in float64, then a cast to float32).
/// </summary>
static class ReferenceData
{
    public static readonly int[] Frames = [0, 3, 6, 9];
    public static string Folder => $"{SharedData.Date}/{SharedData.Drive}";

    static readonly Lazy<IReadOnlyList<FloatMap>> _gt = new(() =>
    {
        var calib = CameraCalibration.Load(Path.Combine(SharedData.KittiRawSample, SharedData.Date));
        return Frames.Select(f => LidarGroundTruth.ForEvaluation(calib, KittiRawLayout.VelodynePath(SharedData.KittiRawSample, Folder, f))).ToList();
    });

    public static IReadOnlyList<FloatMap> GroundTruth => _gt.Value;

    /// <summary>0.02 + 0.3 (y/h)² + 0.01 ((37x + 11y + 101i) mod 97) / 97, float32.</summary>
    public static IReadOnlyList<FloatMap> Disparities(int n = 4, int h = 192, int w = 640)
    {
        var maps = new List<FloatMap>();
        for (int i = 0; i < n; i++)
        {
            var m = new FloatMap(h, w);
            for (int y = 0; y < h; y++)
            {
                double t = (double)y / h;
                for (int x = 0; x < w; x++)
                    m[y, x] = (float)(0.02 + 0.3 * (t * t) + 0.01 * (((37 * x + 11 * y + 101 * i) % 97) / 97.0));
            }
            maps.Add(m);
        }
        return maps;
    }

    /// <summary>The "mirrored prediction" of the post-processing check: disparities flipped, times float32(1.1).</summary>
    public static IReadOnlyList<FloatMap> Mirrored() => Disparities().Select(d =>
    {
        var f = Mlda.Core.Evaluation.DisparityPostProcess.FlipHorizontal(d);
        for (int k = 0; k < f.Values.Length; k++) f.Values[k] *= 1.1f;
        return f;
    }).ToList();

    public static string SplitText => string.Concat(Frames.Select(f => $"{Folder} {f:D10} l\n"));
}

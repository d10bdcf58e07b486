using Mlda.Core.Imaging;

namespace Mlda.Core.Kitti;

/// <summary>
/// Projects a Velodyne scan into a rectified camera to make a sparse depth map, exactly as monodepth2's
/// <c>kitti_utils.generate_depth_map</c>, quirks included, so that evaluation numbers match the literature.
/// </summary>
public static class LidarGroundTruth
{
    /// <summary>
    /// The depth map (0 = no LiDAR point) at the rectified size of <c>S_rect_02</c>, whatever the camera.
    /// <paramref name="velodyneDepth"/> = true gives the Velodyne forward distance x as depth, which is what the
    /// Eigen evaluation ground truth uses (<c>export_gt_depth.py</c> calls <c>generate_depth_map(.., 2, True)</c>);
    /// false gives the rectified camera z (training-time GT).
    /// </summary>
    public static FloatMap Generate(CameraCalibration calib, float[] points, int cam = 2, bool velodyneDepth = false)
    {
        if (points.Length % VelodyneScan.FloatsPerPoint != 0)
            throw new ArgumentException($"{points.Length} floats is not a whole number of points", nameof(points));
        int h = calib.ImageHeight, w = calib.ImageWidth;
        var p = calib.VeloToImage(cam);
        int n = points.Length / 4;

        // Projected points that land in the image, in scan order: pixel (u, v) and depth.
        var us = new int[n];
        var vs = new int[n];
        var zs = new double[n];
        int kept = 0;
        for (int i = 0; i < n; i++)
        {
            double x = points[4 * i], y = points[4 * i + 1], z = points[4 * i + 2];
            // The reference keeps points in front of the LiDAR (x >= 0), not in front of the camera.
            if (!(x >= 0)) continue;
            // Reflectance is replaced by 1.0 (homogeneous coordinate), as load_velodyne_points does.
            double pu = p[0, 0] * x + p[0, 1] * y + p[0, 2] * z + p[0, 3];
            double pv = p[1, 0] * x + p[1, 1] * y + p[1, 2] * z + p[1, 3];
            double pz = p[2, 0] * x + p[2, 1] * y + p[2, 2] * z + p[2, 3];
            // "-1 to match KITTI matlab"; np.round is round-half-to-even like Math.Round's default.
            double u = Math.Round(pu / pz) - 1;
            double v = Math.Round(pv / pz) - 1;
            // NaN (pz == 0) fails every comparison and is dropped, as in numpy.
            if (!(u >= 0 && v >= 0 && u < w && v < h)) continue;
            us[kept] = (int)u;
            vs[kept] = (int)v;
            zs[kept] = velodyneDepth ? x : pz;
            kept++;
        }

        var depth = new double[h * w];
        // depth[v, u] = z by numpy fancy assignment: for points sharing a pixel the last one wins.
        for (int i = 0; i < kept; i++) depth[vs[i] * w + us[i]] = zs[i];

        // Duplicate handling by sub2ind(shape, v, u) = v*(w-1) + u - 1. The index is not unique: (r, w-1) and
        // (r+1, 0) share a key. Each key seen more than once writes the minimum depth of its group at the pixel of
        // the group's first point. Keys run from -1 to h*(w-1) + w - 2, so they index an array after a +1 shift.
        int keyCount = h * (w - 1) + w;
        var count = new int[keyCount];
        var first = new int[keyCount];
        var min = new double[keyCount];
        for (int i = 0; i < kept; i++)
        {
            int key = vs[i] * (w - 1) + us[i] - 1 + 1;
            if (count[key]++ == 0)
            {
                first[key] = i;
                min[key] = zs[i];
            }
            else if (zs[i] < min[key])
            {
                min[key] = zs[i];
            }
        }
        for (int key = 0; key < keyCount; key++)
        {
            if (count[key] < 2) continue;
            int f = first[key];
            depth[vs[f] * w + us[f]] = min[key];
        }

        var map = new FloatMap(h, w);
        for (int i = 0; i < depth.Length; i++) map.Values[i] = depth[i] < 0 ? 0f : (float)depth[i];
        return map;
    }

    /// <summary>The Eigen evaluation ground truth of one frame: camera 2, Velodyne forward depth, from the scan file.</summary>
    public static FloatMap ForEvaluation(CameraCalibration calib, string velodynePath) =>
        Generate(calib, VelodyneScan.Read(velodynePath), cam: 2, velodyneDepth: true);
}

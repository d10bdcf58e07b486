using Mlda.Core.Imaging;
using Mlda.Core.IO;
using Mlda.Core.Kitti;
using Mlda.Core.Synthetic;
using Xunit.Abstractions;

namespace Mlda.Tests.Synthetic;

/// <summary>
/// The written calibration, scans, oxts, images and exact depth agree with one another: what the rest of the
/// pipeline (LiDAR ground truth, stereo and temporal view synthesis) assumes about KITTI holds for the synthetic data.
/// </summary>
public sealed class SyntheticGeometryTests(SyntheticDataFixture data, ITestOutputHelper log) : IClassFixture<SyntheticDataFixture>
{
    static readonly SyntheticDatasetOptions O = SyntheticDataFixture.Options;

    [Fact]
    public void LidarGroundTruthAgreesWithTheExactDepth()
    {
        var calib = CameraCalibration.Load(data.DateDir);
        var errors = new List<double>();
        for (int d = 1; d <= O.Drives; d++)
        for (int k = 0; k < O.Frames; k++)
        {
            var folder = O.Folder(d);
            var gt = LidarGroundTruth.Generate(calib, VelodyneScan.Read(KittiRawLayout.VelodynePath(data.Root, folder, k)), 2, false);
            var dense = Npy.ReadFloatMap(SyntheticDataset.DepthPath(data.Root, folder, k));
            int n = 0;
            for (int i = 0; i < gt.Values.Length; i++)
            {
                if (gt.Values[i] <= 0 || dense.Values[i] <= 0) continue;
                errors.Add(Math.Abs(gt.Values[i] - dense.Values[i]) / dense.Values[i]);
                n++;
            }
            Assert.True(n > 500, $"{folder} {k}: only {n} LiDAR pixels");
        }
        errors.Sort();
        double median = errors[errors.Count / 2], p90 = errors[errors.Count * 9 / 10];
        log.WriteLine($"{errors.Count} pixels: median relative error {median:E2}, 90th percentile {p90:E2}");
        Assert.True(median < 0.01, $"median relative error {median}");
    }

    [Fact]
    public void TheRightImageWarpedWithTheExactDepthReproducesTheLeft()
    {
        var calib = CameraCalibration.Load(data.DateDir);
        var k = calib.Intrinsics(2);
        double fx = k[0, 0], cx = k[0, 2], baseline = calib.StereoBaseline;
        for (int d = 1; d <= O.Drives; d++)
        {
            var folder = O.Folder(d);
            var left = ToFloat(ImageFile.LoadRgb(KittiRawLayout.ImagePath(data.Root, folder, 2, 2)));
            var right = ToFloat(ImageFile.LoadRgb(KittiRawLayout.ImagePath(data.Root, folder, 3, 2)));
            var depth = Npy.ReadFloatMap(SyntheticDataset.DepthPath(data.Root, folder, 2));
            int w = depth.Width, h = depth.Height;
            double warped = 0, unwarped = 0;
            int n = 0;
            for (int r = 0; r < h; r++)
            {
                // a pixel is occluded in the right view when a nearer pixel of its row lands at the same place
                var zbuf = Enumerable.Repeat(double.MaxValue, w).ToArray();
                var target = new double[w];
                for (int c = 0; c < w; c++)
                {
                    double z = depth[r, c];
                    target[c] = z > 0 ? c - fx * baseline / z : double.NaN; // pixel index in the right image
                    if (z > 0 && target[c] > -1 && target[c] < w)
                    {
                        int t = (int)Math.Round(target[c]);
                        if (t >= 0 && t < w) zbuf[t] = Math.Min(zbuf[t], z);
                    }
                }
                for (int c = 0; c < w; c++)
                {
                    double z = depth[r, c];
                    if (z <= 0 || !(target[c] >= 1) || target[c] > w - 2) continue;
                    int t = (int)Math.Round(target[c]);
                    if (z > zbuf[t] * 1.02 || z > zbuf[Math.Max(0, t - 1)] * 1.02 || z > zbuf[Math.Min(w - 1, t + 1)] * 1.02) continue;
                    warped += Diff(left, right, r, c, r, target[c]);
                    unwarped += Diff(left, right, r, c, r, c);
                    n++;
                }
            }
            warped /= n;
            unwarped /= n;
            log.WriteLine($"{folder}: stereo L1 {warped:F4} warped, {unwarped:F4} unwarped, {n} pixels");
            Assert.True(n > w * h / 2, $"{folder}: only {n} pixels visible in both views");
            Assert.True(warped < 0.03, $"{folder}: warped L1 {warped}");
            Assert.True(warped < 0.4 * unwarped, $"{folder}: warped {warped} vs unwarped {unwarped}");
        }
    }

    [Fact]
    public void ConsecutiveFramesWarpedWithTheOxtsPosesAgree()
    {
        var calib = CameraCalibration.Load(data.DateDir);
        var k = calib.Intrinsics(2);
        double fx = k[0, 0], fy = k[1, 1], cx = k[0, 2], cy = k[1, 2];
        var camFromImu = CameraFromImu(calib, data.DateDir);
        for (int d = 1; d <= O.Drives; d++)
        {
            var folder = O.Folder(d);
            var poses = OxtsPoses(data.Root, folder, O.Frames);
            const int a = 2, b = 3;
            // X_b = T_c_imu * inv(T_w_imu_b) * T_w_imu_a * inv(T_c_imu) * X_a
            var rel = Mul(Mul(camFromImu, Mul(Invert(poses[b]), poses[a])), Invert(camFromImu));
            var src = ToFloat(ImageFile.LoadRgb(KittiRawLayout.ImagePath(data.Root, folder, 2, a)));
            var dst = ToFloat(ImageFile.LoadRgb(KittiRawLayout.ImagePath(data.Root, folder, 2, b)));
            var depthA = Npy.ReadFloatMap(SyntheticDataset.DepthPath(data.Root, folder, a));
            var depthB = Npy.ReadFloatMap(SyntheticDataset.DepthPath(data.Root, folder, b));
            int w = depthA.Width, h = depthA.Height;
            double warped = 0, unwarped = 0;
            int n = 0;
            for (int r = 0; r < h; r++)
            for (int c = 0; c < w; c++)
            {
                double z = depthA[r, c];
                if (z <= 0) continue;
                // pixel index (c, r) is centred on P coordinates (c + 1, r + 1): see CameraRenderer
                double x = (c + 1 - cx) / fx * z, y = (r + 1 - cy) / fy * z;
                double xb = rel[0, 0] * x + rel[0, 1] * y + rel[0, 2] * z + rel[0, 3];
                double yb = rel[1, 0] * x + rel[1, 1] * y + rel[1, 2] * z + rel[1, 3];
                double zb = rel[2, 0] * x + rel[2, 1] * y + rel[2, 2] * z + rel[2, 3];
                if (zb <= 0.5) continue;
                double cb = fx * xb / zb + cx - 1, rb = fy * yb / zb + cy - 1;
                if (cb < 1 || rb < 1 || cb > w - 2 || rb > h - 2) continue;
                // visible in frame b: the exact depth there agrees with the transported point
                double seen = depthB[(int)Math.Round(rb), (int)Math.Round(cb)];
                if (seen <= 0 || Math.Abs(seen - zb) > 0.03 * zb) continue;
                warped += Diff(src, dst, r, c, rb, cb);
                unwarped += Diff(src, dst, r, c, r, c);
                n++;
            }
            warped /= n;
            unwarped /= n;
            log.WriteLine($"{folder}: temporal L1 {warped:F4} warped, {unwarped:F4} unwarped, {n} pixels");
            Assert.True(n > w * h / 3, $"{folder}: only {n} pixels visible in both frames");
            Assert.True(warped < 0.03, $"{folder}: warped L1 {warped}");
            Assert.True(warped < 0.4 * unwarped, $"{folder}: warped {warped} vs unwarped {unwarped}");
        }
    }

    // ------------------------------------------------------------------ helpers

    sealed record FloatImage(int H, int W, float[] Px);

    static FloatImage ToFloat(ByteImage img) => new(img.Height, img.Width, img.Pixels.Select(p => p / 255f).ToArray());

    /// <summary>Mean absolute RGB difference between a pixel of <paramref name="a"/> and a bilinear sample of <paramref name="b"/>.</summary>
    static double Diff(FloatImage a, FloatImage b, int r, int c, double rb, double cb)
    {
        int c0 = (int)Math.Floor(cb), r0 = (int)Math.Floor(rb);
        int c1 = Math.Min(c0 + 1, b.W - 1), r1 = Math.Min(r0 + 1, b.H - 1);
        double tc = cb - c0, tr = rb - r0, sum = 0;
        for (int ch = 0; ch < 3; ch++)
        {
            double v = (1 - tr) * ((1 - tc) * b.Px[(r0 * b.W + c0) * 3 + ch] + tc * b.Px[(r0 * b.W + c1) * 3 + ch])
                     + tr * ((1 - tc) * b.Px[(r1 * b.W + c0) * 3 + ch] + tc * b.Px[(r1 * b.W + c1) * 3 + ch]);
            sum += Math.Abs(a.Px[(r * a.W + c) * 3 + ch] - v);
        }
        return sum / 3;
    }

    /// <summary>pykitti's oxts poses T_w_imu: Mercator with the scale of the first packet, R = Rz(yaw) Ry(pitch) Rx(roll).</summary>
    static double[][,] OxtsPoses(string root, string folder, int frames)
    {
        const double er = 6378137.0;
        var packets = Enumerable.Range(0, frames).Select(i => OxtsPacket.Read(KittiRawLayout.OxtsPath(root, folder, i))).ToArray();
        double scale = Math.Cos(packets[0].Lat * Math.PI / 180);
        return packets.Select(p =>
        {
            double tx = scale * p.Lon * Math.PI * er / 180;
            double ty = scale * er * Math.Log(Math.Tan((90 + p.Lat) * Math.PI / 360));
            double cr = Math.Cos(p.Roll), sr = Math.Sin(p.Roll), cp = Math.Cos(p.Pitch), sp = Math.Sin(p.Pitch), cyw = Math.Cos(p.Yaw), syw = Math.Sin(p.Yaw);
            var rx = new double[,] { { 1, 0, 0, 0 }, { 0, cr, -sr, 0 }, { 0, sr, cr, 0 }, { 0, 0, 0, 1 } };
            var ry = new double[,] { { cp, 0, sp, 0 }, { 0, 1, 0, 0 }, { -sp, 0, cp, 0 }, { 0, 0, 0, 1 } };
            var rz = new double[,] { { cyw, -syw, 0, 0 }, { syw, cyw, 0, 0 }, { 0, 0, 1, 0 }, { 0, 0, 0, 1 } };
            var t = Mul(rz, Mul(ry, rx));
            t[0, 3] = tx; t[1, 3] = ty; t[2, 3] = p.Alt;
            return t;
        }).ToArray();
    }

    /// <summary>Camera-2 (rectified) from IMU: P's x offset, R_rect_00, velo_to_cam, imu_to_velo.</summary>
    static double[,] CameraFromImu(CameraCalibration calib, string dateDir)
    {
        var imuToVelo = CalibrationFile.Read(Path.Combine(dateDir, "calib_imu_to_velo.txt"));
        var r = imuToVelo.Get("R", 9);
        var t = imuToVelo.Get("T", 3);
        var veloFromImu = new double[,] { { r[0], r[1], r[2], t[0] }, { r[3], r[4], r[5], t[1] }, { r[6], r[7], r[8], t[2] }, { 0, 0, 0, 1 } };
        var rect = Identity();
        for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) rect[i, j] = calib.RectificationRotation[i, j];
        var cam2 = Identity();
        cam2[0, 3] = calib.CameraOffsetX(2); // x_2 = x_0 + P[0,3]/fx
        return Mul(cam2, Mul(rect, Mul(calib.VeloToCam, veloFromImu)));
    }

    static double[,] Identity() => new double[,] { { 1, 0, 0, 0 }, { 0, 1, 0, 0 }, { 0, 0, 1, 0 }, { 0, 0, 0, 1 } };

    static double[,] Mul(double[,] a, double[,] b)
    {
        var m = new double[4, 4];
        for (int i = 0; i < 4; i++) for (int j = 0; j < 4; j++) for (int k = 0; k < 4; k++) m[i, j] += a[i, k] * b[k, j];
        return m;
    }

    /// <summary>Inverse of a rigid transform [R t; 0 1].</summary>
    static double[,] Invert(double[,] t)
    {
        var m = Identity();
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 3; j++) m[i, j] = t[j, i];
            m[i, 3] = -(t[0, i] * t[0, 3] + t[1, i] * t[1, 3] + t[2, i] * t[2, 3]);
        }
        return m;
    }
}

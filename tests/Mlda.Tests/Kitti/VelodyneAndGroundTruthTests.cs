using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Mlda.Core;
using Mlda.Core.Kitti;

namespace Mlda.Tests.Kitti;

public class VelodyneAndGroundTruthTests
{
    static string DateDir => Path.Combine(SharedData.KittiRawSample, SharedData.Date);
    static string Folder => $"{SharedData.Date}/{SharedData.Drive}";
    static string Scan(int frame) => KittiRawLayout.VelodynePath(SharedData.KittiRawSample, Folder, frame);

    [Fact]
    public void ReadsTheRealScan()
    {
        var pts = VelodyneScan.Read(Scan(0));
        Assert.Equal(121_080, VelodyneScan.PointCount(pts));
        float minR = float.MaxValue, maxR = float.MinValue;
        for (int i = 3; i < pts.Length; i += 4) { minR = Math.Min(minR, pts[i]); maxR = Math.Max(maxR, pts[i]); }
        Assert.Equal(0f, minR);
        Assert.InRange(maxR, 0.98f, 1f);
    }

    [Fact]
    public void TruncatedOrMissingScanIsAnInputError()
    {
        using var dir = new TempDir();
        var bytes = File.ReadAllBytes(Scan(0));
        File.WriteAllBytes(dir["t.bin"], bytes[..1001]);
        var e = Assert.Throws<InputException>(() => VelodyneScan.Read(dir["t.bin"]));
        Assert.Contains("t.bin", e.Message);
        Assert.Contains("not a multiple of 16", e.Message);
        Assert.Contains("not found", Assert.Throws<InputException>(() => VelodyneScan.Read(dir["none.bin"])).Message);
    }

    // Expected values from an independent numpy computation of monodepth2's generate_depth_map
    // (tests/Mlda.Tests/Evaluation/reference_numpy.py gt <sample>): SHA-256 of the float32 map bytes, the count of
    // pixels with depth and their float64 sum.
    [Theory]
    [InlineData(0, 2, true, 19137, 332361.721972, "00b727ee4b528e3ebc85f2db5556cbdfccff3ba12c22bad821585de85a3681cf")]
    [InlineData(0, 2, false, 19137, 326962.687410, "0a2271a06dd26a34c754ab75ddf6908047fe48139b0d35a5495daca4a3f5dbcb")]
    [InlineData(0, 3, false, 19255, 327406.026992, "3ad55bfd0901fb7cd088d5cc75730c62684d271caac86307a1e95ff16d054460")]
    [InlineData(3, 2, true, 19299, 321427.804092, "5eafee06c526767e78eb2cde4e16c706b877116366c9525fdc89e9ad2d328e8f")]
    [InlineData(6, 2, true, 19196, 323695.700824, "a2aaa56010936448023ca615cff2a88959166613e168728eb838de4f714315f4")]
    [InlineData(9, 2, true, 19113, 323022.621086, "2e9457b7dde2ce151b5f0025646e1093de172205b3fe5ab9ceea82672781a244")]
    [InlineData(9, 3, false, 19306, 316583.603985, "05dcb6d20ea0ad9049bcc901170b14e8ffb2607966642b6d8f720941287f8d58")]
    public void GroundTruthIsBitExactWithTheReference(int frame, int cam, bool velodyneDepth, int nonZero, double sum, string sha256)
    {
        var calib = CameraCalibration.Load(DateDir);
        var map = LidarGroundTruth.Generate(calib, VelodyneScan.Read(Scan(frame)), cam, velodyneDepth);
        Assert.Equal(375, map.Height);
        Assert.Equal(1242, map.Width);
        Assert.Equal(nonZero, map.Values.Count(v => v > 0));
        Assert.Equal(sum, map.Values.Sum(v => (double)v), 5);
        var hash = Convert.ToHexStringLower(SHA256.HashData(MemoryMarshal.AsBytes(map.Values.AsSpan())));
        Assert.Equal(sha256, hash);
    }

    [Fact]
    public void DuplicateRuleFollowsTheSub2IndQuirk()
    {
        // A tiny synthetic calibration where P_velo2im is the identity-like projection u = y/x*..., built from
        // points placed on chosen pixels, so the rule can be checked by hand.
        using var dir = new TempDir();
        // 4x3 image; P_rect = [[1,0,0,0],[0,1,0,0],[0,0,1,0]], R_rect = I, velo2cam = I: pixel = (x/z, y/z) with
        // Velodyne x used as forward (x >= 0 filter) -- so put points with x = 1 and choose z = 1.
        File.WriteAllText(dir["calib_cam_to_cam.txt"],
            "calib_time: t\nS_rect_02: 4 3\nR_rect_00: 1 0 0 0 1 0 0 0 1\n" +
            string.Concat(Enumerable.Range(0, 4).Select(i => $"P_rect_0{i}: 1 0 0 0 0 1 0 0 0 0 1 0\n")));
        File.WriteAllText(dir["calib_velo_to_cam.txt"], "calib_time: t\nR: 1 0 0 0 1 0 0 0 1\nT: 0 0 0\n");
        var calib = CameraCalibration.Load(dir.Path);
        // camera coords = (x, y, z) with depth z; u = round(x/z) - 1, v = round(y/z) - 1.
        static float[] P(params (double u, double v, double z)[] pts) =>
            pts.SelectMany(p => new[] { (float)((p.u + 1) * p.z), (float)((p.v + 1) * p.z), (float)p.z, 0f }).ToArray();
        var map = LidarGroundTruth.Generate(calib, P(
            (1, 1, 5), (1, 1, 3), (1, 1, 4),     // true duplicates: the group's minimum (3) wins over last-write (4)
            (3, 0, 7), (0, 1, 9),                // (row 0, col w-1) and (row 1, col 0) share sub2ind key 2: min 7 goes to the FIRST point's pixel
            (2, 2, 6),                           // single point
            (5, 0, 2), (-1, 0, 2)));            // outside the image
        Assert.Equal(3f, map[1, 1]);
        Assert.Equal(7f, map[0, 3]);
        Assert.Equal(9f, map[1, 0]);             // keeps its own (last-write) value
        Assert.Equal(6f, map[2, 2]);
        Assert.Equal(4, map.Values.Count(v => v != 0));
        // Collision the other way round: the first point is at (1,0) with the larger depth; min lands on (1,0).
        map = LidarGroundTruth.Generate(calib, P((0, 1, 9), (3, 0, 7)));
        Assert.Equal(7f, map[1, 0]);
        Assert.Equal(7f, map[0, 3]);
        // Velodyne-forward depth: x is the depth value when velodyneDepth is set (here x = u+1 times z).
        map = LidarGroundTruth.Generate(calib, P((1, 1, 2)), velodyneDepth: true);
        Assert.Equal(4f, map[1, 1]);
    }
}

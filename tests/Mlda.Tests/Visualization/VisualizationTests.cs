using Mlda.Core;
using Mlda.Core.Imaging;
using Mlda.Core.Visualization;
using OpenCvSharp;

namespace Mlda.Tests.Visualization;

public class VisualizationTests
{
    static FloatMap Ramp(int h, int w) => new(h, w, Enumerable.Range(0, h * w).Select(i => (float)i).ToArray());

    [Fact]
    public void Percentile_is_numpys_linear_interpolation()
    {
        float[] v = [10, 1, 2, 3, 4, 5, 6, 7, 8, 9];
        Assert.Equal(9.55f, DisparityColormap.Percentile(v, 95), 4);   // np.percentile(np.arange(1, 11), 95)
        Assert.Equal(5.5f, DisparityColormap.Percentile(v, 50), 4);
        Assert.Equal(1f, DisparityColormap.Percentile(v, 0));
    }

    [Fact]
    public void Magma_maps_min_to_darkest_and_the_top_5_percent_to_brightest()
    {
        var table = DisparityColormap.Magma;
        Assert.Equal(256, table.Count);
        int Brightness(Vec3b c) => c.Item0 + c.Item1 + c.Item2;
        Assert.True(Brightness(table[0]) < 30 && Brightness(table[255]) > 500, "magma runs from near-black to pale yellow");
        var disp = Ramp(10, 20);   // 0..199, 95th percentile = 189.05
        using var colour = DisparityColormap.Apply(disp);
        Assert.Equal((10, 20), (colour.Rows, colour.Cols));
        Assert.Equal(MatType.CV_8UC3, colour.Type());
        var bytes = MatBuffers.Bytes(colour);
        Vec3b At(int i) => new(bytes[3 * i], bytes[3 * i + 1], bytes[3 * i + 2]);
        Assert.Equal(table[0], At(0));
        Assert.Equal(table[255], At(199));
        Assert.Equal(table[255], At(190));            // above vmax: saturated
        Assert.NotEqual(table[255], At(180));
        Assert.Equal(table[(int)Math.Floor(100 / 189.05 * 256)], At(100));
    }

    [Fact]
    public void Reference_figure_is_input_above_min_max_grayscale()
    {
        using var input = new Mat(6, 8, MatType.CV_8UC3, new Scalar(10, 20, 30));
        using var figure = DepthFigure.Compose(input, Ramp(6, 8));
        Assert.Equal((12, 8), (figure.Rows, figure.Cols));
        var bytes = MatBuffers.Bytes(figure);
        Assert.Equal(new byte[] { 10, 20, 30 }, bytes[..3]);
        int bottomFirst = 3 * 6 * 8, last = bytes.Length - 3;
        Assert.Equal(0, bytes[bottomFirst]);     // minimum → black
        Assert.Equal(255, bytes[last]);          // maximum → white
        Assert.Equal(bytes[last], bytes[last + 1]);  // gray: B = G = R
    }

    [Fact]
    public void Sixteen_bit_png_round_trips_at_1_over_256_metre()
    {
        using var dir = new TempDir();
        var depth = new FloatMap(4, 5, [0, 0.1f, 1.5f, 7.123f, 80f, 255.99f, 300f, float.NaN, -1f, 12.3456f, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        var path = dir["d.png"];
        DepthPng.Write(path, depth);
        using (var raw = Cv2.ImRead(path, ImreadModes.Unchanged)) Assert.Equal(MatType.CV_16UC1, raw.Type());
        var back = DepthPng.Read(path);
        Assert.Equal((4, 5), (back.Height, back.Width));
        Assert.Equal(0f, back.Values[0]);
        Assert.Equal(0f, back.Values[7]);   // NaN → no depth
        Assert.Equal(0f, back.Values[8]);   // negative → no depth
        Assert.Equal(65535 / 256f, back.Values[6], 4);   // beyond 256 m: clamped
        foreach (var i in new[] { 1, 2, 3, 4, 5, 9, 19 })
            Assert.True(Math.Abs(back.Values[i] - depth.Values[i]) <= 0.5 / 256 + 1e-6, $"{i}: {back.Values[i]} vs {depth.Values[i]}");
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp*"));
    }

    [Fact]
    public void Point_cloud_back_projects_with_the_intrinsics_and_round_trips_through_ply()
    {
        using var dir = new TempDir();
        var depth = new FloatMap(3, 4, [2, 2, 2, 2, 2, 2, 0, 2, 2, 2, 2, 1000]);
        using var bgr = new Mat(3, 4, MatType.CV_8UC3, new Scalar(1, 2, 3));
        var k = new CameraIntrinsics(Fx: 10, Fy: 20, Cx: 1, Cy: 1);
        var points = PointCloud.FromDepth(depth, bgr, k, maxDepth: 80);
        Assert.Equal(10, points.Count);                           // depth 0 and 1000 (> 80) skipped
        var centre = points.Single(p => p.X == 0 && p.Y == 0);     // pixel (u=1, v=1) is the principal point
        Assert.Equal(2f, centre.Z);
        var corner = points[0];                                     // pixel (0, 0)
        Assert.Equal(((0 - 1) * 2f / 10, (0 - 1) * 2f / 20, 2f), (corner.X, corner.Y, corner.Z));
        Assert.Equal(((byte)3, (byte)2, (byte)1), (corner.R, corner.G, corner.B));   // BGR input → RGB points
        var path = dir["c.ply"];
        PointCloud.WritePly(path, points);
        Assert.StartsWith("ply\nformat binary_little_endian 1.0", File.ReadAllText(path)[..40]);
        Assert.Equal(points, PointCloud.ReadPly(path));
    }

    [Fact]
    public void Truncated_ply_is_reported_as_bad_input()
    {
        using var dir = new TempDir();
        var path = dir["c.ply"];
        var depth = new FloatMap(2, 2, [1, 1, 1, 1]);
        using var bgr = new Mat(2, 2, MatType.CV_8UC3, Scalar.All(0));
        PointCloud.WritePly(path, PointCloud.FromDepth(depth, bgr, CameraIntrinsics.KittiNormalised(2, 2)));
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^5]);
        var e = Assert.Throws<InputException>(() => PointCloud.ReadPly(path));
        Assert.Contains("c.ply", e.Message);
    }

    [Fact]
    public void Side_by_side_frame_is_input_then_magma()
    {
        using var input = new Mat(6, 8, MatType.CV_8UC3, new Scalar(10, 20, 30));
        using var frame = SideBySideFrame.Compose(input, Ramp(6, 8));
        Assert.Equal((6, 16), (frame.Rows, frame.Cols));
    }

    [Fact]
    public void Kitti_normalised_intrinsics_match_the_training_K()
    {
        var k = CameraIntrinsics.KittiNormalised(640, 192);
        Assert.Equal((371.2, 368.64, 320.0, 96.0), (k.Fx, k.Fy, k.Cx, k.Cy));
    }
}

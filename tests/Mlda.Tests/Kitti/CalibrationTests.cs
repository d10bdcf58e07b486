using Mlda.Core;
using Mlda.Core.Kitti;

namespace Mlda.Tests.Kitti;

public class CalibrationTests
{
    static string DateDir => Path.Combine(SharedData.KittiRawSample, SharedData.Date);

    [Fact]
    public void ReadsEveryKeyOfTheRealCamToCamFile()
    {
        var f = CalibrationFile.Read(Path.Combine(DateDir, "calib_cam_to_cam.txt"));
        Assert.Equal("09-Jan-2012 13:57:47", f.Texts["calib_time"]);
        Assert.Equal([9.950000e-02], f.Numbers["corner_dist"]);
        foreach (var c in new[] { "00", "01", "02", "03" })
        {
            Assert.Equal(2, f.Numbers[$"S_{c}"].Length);
            Assert.Equal(9, f.Numbers[$"K_{c}"].Length);
            Assert.Equal(5, f.Numbers[$"D_{c}"].Length);
            Assert.Equal(9, f.Numbers[$"R_{c}"].Length);
            Assert.Equal(3, f.Numbers[$"T_{c}"].Length);
            Assert.Equal(2, f.Numbers[$"S_rect_{c}"].Length);
            Assert.Equal(9, f.Numbers[$"R_rect_{c}"].Length);
            Assert.Equal(12, f.Numbers[$"P_rect_{c}"].Length);
        }
        Assert.Equal(2 + 4 * 8, f.Numbers.Count + f.Texts.Count);
        Assert.Equal([1392, 512], f.Numbers["S_00"]);
        Assert.Equal([7.215377e+02, 0, 6.095593e+02, -3.395242e+02, 0, 7.215377e+02, 1.728540e+02, 2.199936e+00, 0, 0, 1, 2.729905e-03],
            f.Numbers["P_rect_03"]);
    }

    [Fact]
    public void CameraCalibrationOfTheSampleDate()
    {
        var c = CameraCalibration.Load(DateDir);
        Assert.Equal(1242, c.ImageWidth);
        Assert.Equal(375, c.ImageHeight);
        Assert.Equal(4.485728e+01, c.Projection(2)[0, 3]);
        Assert.Equal(2.745884e-03, c.Projection(2)[2, 3]);
        Assert.Equal(9.999239e-01, c.RectificationRotation[0, 0]);
        Assert.Equal(-4.278459e-03, c.RectificationRotation[1, 2]);
        Assert.Equal(-2.717806e-01, c.VeloToCam[2, 3]);
        Assert.Equal(7.533745e-03, c.VeloToCam[0, 0]);
        Assert.Equal(1.0, c.VeloToCam[3, 3]);
        Assert.Equal(0.0, c.VeloToCam[3, 0]);
        Assert.Equal((44.85728 + 339.5242) / 721.5377, c.StereoBaseline, 12);
        Assert.Equal(0.5327, c.StereoBaseline, 4);
        Assert.Equal(721.5377, c.Intrinsics(2)[0, 0]);
        Assert.Equal("15-Mar-2012 11:37:16", c.VeloToCamFileContents.Texts["calib_time"]);
        Assert.Equal(2, c.VeloToCamFileContents.Numbers["delta_f"].Length);
    }

    [Fact]
    public void VeloToImageIsTheProductOfTheThreeMatrices()
    {
        var c = CameraCalibration.Load(DateDir);
        var p = c.VeloToImage(2);
        // Spot check one entry by hand: row 2 of P_rect_02 is (0,0,1,2.745884e-3), so row 2 of the product is
        // row 2 of R_rect_00 (padded) times velo2cam, plus 2.745884e-3 in the last column.
        var r = c.RectificationRotation;
        var v = c.VeloToCam;
        double expected = r[2, 0] * v[0, 3] + r[2, 1] * v[1, 3] + r[2, 2] * v[2, 3] + 2.745884e-03;
        Assert.Equal(expected, p[2, 3], 14);
    }

    [Fact]
    public void MalformedLinesNameTheFileAndLine()
    {
        using var dir = new TempDir();
        var good = File.ReadAllLines(Path.Combine(DateDir, "calib_cam_to_cam.txt"));
        var lines = (string[])good.Clone();
        int i = Array.FindIndex(lines, l => l.StartsWith("P_rect_02:"));
        lines[i] = lines[i].Replace("6.095593e+02", "6.09x5593e+02");
        File.WriteAllLines(dir["calib_cam_to_cam.txt"], lines);
        File.Copy(Path.Combine(DateDir, "calib_velo_to_cam.txt"), dir["calib_velo_to_cam.txt"]);
        var e = Assert.Throws<InputException>(() => CameraCalibration.Load(dir.Path));
        Assert.Equal(i + 1, e.Line);
        Assert.Contains($"calib_cam_to_cam.txt:{i + 1}:", e.Message);
        Assert.Contains("6.09x5593e+02", e.Message);
        Assert.DoesNotContain("\n", e.Message);

        lines = (string[])good.Clone();
        lines[i] = string.Join(' ', lines[i].Split(' ')[..^1]); // a truncated matrix line
        File.WriteAllLines(dir["calib_cam_to_cam.txt"], lines);
        e = Assert.Throws<InputException>(() => CameraCalibration.Load(dir.Path));
        Assert.Equal(i + 1, e.Line);
        Assert.Contains("'P_rect_02' has 11 values, expected 12", e.Message);

        lines = good.Where(l => !l.StartsWith("S_rect_02")).ToArray();
        File.WriteAllLines(dir["calib_cam_to_cam.txt"], lines);
        Assert.Contains("missing key 'S_rect_02'", Assert.Throws<InputException>(() => CameraCalibration.Load(dir.Path)).Message);

        File.WriteAllText(dir["calib_cam_to_cam.txt"], "calib_time: x\ndelta_f:\nno colon here\n");
        e = Assert.Throws<InputException>(() => CalibrationFile.Read(dir["calib_cam_to_cam.txt"]));
        Assert.Equal(3, e.Line);
        File.WriteAllText(dir["calib_cam_to_cam.txt"], "calib_time: x\ndelta_f:\n");
        var empty = CalibrationFile.Read(dir["calib_cam_to_cam.txt"]);
        Assert.Empty(empty.Numbers["delta_f"]);
        Assert.Contains(":2: 'delta_f' has 0 values, expected 2", Assert.Throws<InputException>(() => empty.Get("delta_f", 2)).Message);

        File.Delete(dir["calib_velo_to_cam.txt"]);
        File.WriteAllLines(dir["calib_cam_to_cam.txt"], good);
        Assert.Contains("calib_velo_to_cam.txt", Assert.Throws<InputException>(() => CameraCalibration.Load(dir.Path)).Message);
    }
}

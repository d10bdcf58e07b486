using System.Text.Json.Nodes;
using Mlda.Core.Imaging;
using Mlda.Core.IO;
using Mlda.Core.Kitti;

namespace Mlda.Tests.Evaluation;

/// <summary><c>mlda export-gt</c> and <c>mlda eval</c> through the real program, on the real sample.</summary>
public class EvalCliTests
{
    static string Data => SharedData.KittiRawSample;

    [Fact]
    public void ExportGtThenEvalPrintsTheReferenceTableAndJson()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["split.txt"], ReferenceData.SplitText);
        Npy.Write(dir["disps.npy"], ReferenceData.Disparities());

        var o = MldaProcess.Run("export-gt", "--data", Data, "--split-file", dir["split.txt"], "--out", dir["gt.npz"]);
        Assert.True(o.ExitCode == 0, o.Stderr);
        Assert.Contains("ground truth: 4/4", o.Stderr); // progress
        var gt = GroundTruthSet.Read(dir["gt.npz"]);
        Assert.Equal(4, gt.Count);
        for (int i = 0; i < 4; i++) Assert.Equal(ReferenceData.GroundTruth[i].Values, gt[i].Values);
        Assert.Equal([4, 375, 1242], Npz.Read(dir["gt.npz"], "data").Shape); // monodepth2's gt_depths.npz layout

        o = MldaProcess.Run("eval", "--data", Data, "--split-file", dir["split.txt"], "--disps", dir["disps.npy"], "--eval-mode", "mono", "--json", dir["m.json"]);
        Assert.True(o.ExitCode == 0, o.Stderr);
        Assert.Contains(
            "-> Evaluating\n" +
            "   Mono evaluation - using median scaling\n" +
            " Scaling ratios | med: 2.087 | std: 0.022\n" +
            "\n" +
            "   abs_rel |   sq_rel |     rmse | rmse_log |       a1 |       a2 |       a3 | \n" +
            "&   0.232  &   2.730  &   9.684  &   0.359  &   0.635  &   0.803  &   0.902  \\\\\n" +
            "\n" +
            "-> Done!\n", o.Stdout.Replace("\r\n", "\n"));
        var json = JsonNode.Parse(File.ReadAllText(dir["m.json"]))!;
        Assert.Equal(0.23236196115612984, (double)json["metrics"]!["abs_rel"]!, 7);
        Assert.Equal(9.684107065200806, (double)json["metrics"]!["rmse"]!, 6);
        Assert.Equal(4, json["per_image"]!.AsArray().Count);
        Assert.Equal("mono", (string)json["eval_mode"]!);

        // stereo, with the exported ground truth instead of the scans
        o = MldaProcess.Run("eval", "--data", Data, "--split-file", dir["split.txt"], "--disps", dir["disps.npy"], "--eval-mode", "stereo", "--gt", dir["gt.npz"]);
        Assert.True(o.ExitCode == 0, o.Stderr);
        Assert.Contains("&   1.523  &  36.930  &  22.232  &   0.932  &   0.057  &   0.118  &   0.216  \\\\\n", o.Stdout);
        Assert.DoesNotContain("Scaling ratios", o.Stdout);

        // post-processing: 2N maps, the mirrored predictions after the direct ones
        Npy.Write(dir["pp.npy"], ReferenceData.Disparities().Concat(ReferenceData.Mirrored()).ToList());
        o = MldaProcess.Run("eval", "--data", Data, "--split-file", dir["split.txt"], "--disps", dir["pp.npy"], "--eval-mode", "mono", "--post-process");
        Assert.True(o.ExitCode == 0, o.Stderr);
        Assert.Contains("&   0.235  &   2.780  &   9.727  &   0.362  &   0.631  &   0.801  &   0.900  \\\\\n", o.Stdout);
    }

    [Fact]
    public void BadDisparityFilesAreOneLineErrors()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["split.txt"], ReferenceData.SplitText);
        string[] Args(string disps, params string[] more) =>
            ["eval", "--data", Data, "--split-file", dir["split.txt"], "--disps", disps, "--eval-mode", "mono", "--json", dir["out.json"], .. more];

        Npy.Write(dir["f8.npy"], new double[4 * 6 * 8], 4, 6, 8);
        MldaProcess.AssertBadInput(MldaProcess.Run(Args(dir["f8.npy"])), "f8.npy", "float32", "'<f8'");

        Npy.Write(dir["2d.npy"], new float[6 * 8], 6, 8);
        MldaProcess.AssertBadInput(MldaProcess.Run(Args(dir["2d.npy"])), "2d.npy", "(6, 8)");

        Npy.Write(dir["three.npy"], ReferenceData.Disparities(3, 6, 8));
        MldaProcess.AssertBadInput(MldaProcess.Run(Args(dir["three.npy"])), "three.npy", "3 disparities", "4 lines", "split.txt");

        Npy.Write(dir["four.npy"], ReferenceData.Disparities(4, 6, 8));
        MldaProcess.AssertBadInput(MldaProcess.Run(Args(dir["four.npy"], "--post-process")), "four.npy", "2 x 4");

        var nan = ReferenceData.Disparities(4, 6, 8);
        nan[2][3, 5] = float.NaN;
        Npy.Write(dir["nan.npy"], nan);
        MldaProcess.AssertBadInput(MldaProcess.Run(Args(dir["nan.npy"])), "nan.npy", "disparity 2", "row 3, column 5");

        var bytes = File.ReadAllBytes(dir["four.npy"]);
        File.WriteAllBytes(dir["trunc.npy"], bytes[..^7]);
        MldaProcess.AssertBadInput(MldaProcess.Run(Args(dir["trunc.npy"])), "trunc.npy", "truncated");

        Assert.False(File.Exists(dir["out.json"]));
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp*"));
    }

    [Fact]
    public void BadDataIsAOneLineErrorAndWritesNothing()
    {
        using var dir = new TempDir();
        var root = dir["kitti"];
        var date = Path.Combine(root, SharedData.Date);
        var velo = Path.Combine(date, SharedData.Drive, "velodyne_points", "data");
        Directory.CreateDirectory(velo);
        var sampleDate = Path.Combine(Data, SharedData.Date);
        foreach (var f in new[] { "calib_cam_to_cam.txt", "calib_velo_to_cam.txt" }) File.Copy(Path.Combine(sampleDate, f), Path.Combine(date, f));
        var scan = File.ReadAllBytes(KittiRawLayout.VelodynePath(Data, ReferenceData.Folder, 0));
        File.WriteAllBytes(Path.Combine(velo, "0000000000.bin"), scan);
        File.WriteAllBytes(Path.Combine(velo, "0000000001.bin"), scan[..(scan.Length - 6)]);
        string[] Export(string split) => ["export-gt", "--data", root, "--split-file", split, "--out", dir["gt.npz"]];

        // a split line naming a frame without a scan: the split file and line
        File.WriteAllText(dir["missing.txt"], $"{ReferenceData.Folder} 0 l\n{ReferenceData.Folder} 7 l\n");
        MldaProcess.AssertBadInput(MldaProcess.Run(Export(dir["missing.txt"])), "missing.txt:2:", "0000000007.bin");

        // a truncated scan: the .bin
        File.WriteAllText(dir["trunc.txt"], $"{ReferenceData.Folder} 0 l\n{ReferenceData.Folder} 1 l\n");
        MldaProcess.AssertBadInput(MldaProcess.Run(Export(dir["trunc.txt"])), "0000000001.bin", "not a multiple of 16");
        Npy.Write(dir["d2.npy"], ReferenceData.Disparities(2, 6, 8));
        MldaProcess.AssertBadInput(MldaProcess.Run("eval", "--data", root, "--split-file", dir["trunc.txt"], "--disps", dir["d2.npy"],
            "--eval-mode", "mono", "--json", dir["m.json"]), "0000000001.bin", "not a multiple of 16");
        Assert.False(File.Exists(dir["m.json"]));

        // a malformed calibration line: the calibration file and line
        var calib = File.ReadAllLines(Path.Combine(sampleDate, "calib_cam_to_cam.txt"));
        int r = Array.FindIndex(calib, l => l.StartsWith("R_rect_00:"));
        calib[r] = "R_rect_00: 9.999239e-01 9.837760e-03 -7.445048e-03 oops";
        File.WriteAllLines(Path.Combine(date, "calib_cam_to_cam.txt"), calib);
        File.WriteAllText(dir["ok.txt"], $"{ReferenceData.Folder} 0 l\n");
        MldaProcess.AssertBadInput(MldaProcess.Run(Export(dir["ok.txt"])), $"calib_cam_to_cam.txt:{r + 1}:", "oops");

        // the same through eval, and a malformed split line
        Npy.Write(dir["d.npy"], ReferenceData.Disparities(1, 6, 8));
        MldaProcess.AssertBadInput(MldaProcess.Run("eval", "--data", root, "--split-file", dir["ok.txt"], "--disps", dir["d.npy"], "--eval-mode", "stereo"),
            $"calib_cam_to_cam.txt:{r + 1}:");
        File.WriteAllText(dir["badsplit.txt"], $"{ReferenceData.Folder} 0 l\n{ReferenceData.Folder} zero l\n");
        MldaProcess.AssertBadInput(MldaProcess.Run(Export(dir["badsplit.txt"])), "badsplit.txt:2:", "'zero'");

        Assert.False(File.Exists(dir["gt.npz"]));
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp*"));
    }

    [Fact]
    public void GroundTruthOfMixedSizesGetsOneKeyPerMap()
    {
        using var dir = new TempDir();
        var maps = new[] { new FloatMap(2, 3, [1, 2, 3, 4, 5, 6]), new FloatMap(3, 2, [6, 5, 4, 3, 2, 1]) };
        GroundTruthSet.Write(dir["gt.npz"], maps);
        Assert.Equal(["data_00000", "data_00001"], Npz.Read(dir["gt.npz"]).Keys.Order());
        var back = GroundTruthSet.Read(dir["gt.npz"]);
        Assert.Equal(maps.Select(m => m.Values), back.Select(m => m.Values));
        Assert.Equal(3, back[1].Height);
    }
}

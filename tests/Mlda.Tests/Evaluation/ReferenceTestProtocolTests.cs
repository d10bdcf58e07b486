using System.Globalization;
using System.Text.Json;
using Mlda.Checkpoints;
using Mlda.Core.Imaging;
using Mlda.Core.Kitti;
using Mlda.Evaluation;
using Mlda.Networks;

namespace Mlda.Tests.Evaluation;

public class ReferenceTestProtocolTests
{
    const string Folder = SharedData.Date + "/" + SharedData.Drive;

    /// <summary>
    /// <c>compute_depth_losses</c> written out directly (double precision, numpy's median of an even count = mean of
    /// the middle two): bilinear (align_corners=False) depth to 375x1242, clip, gt &gt; 0 in rows 153:371 and cols
    /// 44:1197 of the whole batch, one median ratio, clip, rmse.
    /// </summary>
    static double DirectRmse(IReadOnlyList<FloatMap> scaledDisparity, IReadOnlyList<FloatMap> gt)
    {
        var g = new List<double>();
        var p = new List<double>();
        for (int b = 0; b < gt.Count; b++)
        {
            var d = scaledDisparity[b];
            for (int y = 153; y < 371; y++)
                for (int x = 44; x < 1197; x++)
                {
                    double v = gt[b][y, x];
                    if (!(v > 0)) continue;
                    double sy = Math.Max(0, (y + 0.5) * d.Height / 375.0 - 0.5), sx = Math.Max(0, (x + 0.5) * d.Width / 1242.0 - 0.5);
                    int y0 = (int)sy, x0 = (int)sx, y1 = Math.Min(y0 + 1, d.Height - 1), x1 = Math.Min(x0 + 1, d.Width - 1);
                    double fy = sy - y0, fx = sx - x0;
                    double Depth(int yy, int xx) => 1.0 / d[yy, xx];
                    double depth = (1 - fy) * ((1 - fx) * Depth(y0, x0) + fx * Depth(y0, x1)) + fy * ((1 - fx) * Depth(y1, x0) + fx * Depth(y1, x1));
                    g.Add(v);
                    p.Add(Math.Clamp(depth, 1e-3, 80));
                }
        }
        static double Median(List<double> a)
        {
            var s = a.Order().ToArray();
            return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
        }
        double ratio = Median(g) / Median(p);
        double sq = 0;
        for (int i = 0; i < g.Count; i++) { double q = Math.Clamp(p[i] * ratio, 1e-3, 80); sq += (g[i] - q) * (g[i] - q); }
        return Math.Sqrt(sq / g.Count);
    }

    [Fact]
    public void Float32_numbers_print_as_python_prints_numpy_float32()
    {
        Assert.Equal("4.2158723", Mlda.Core.Evaluation.PythonFormat.Repr(4.2158723f));
        Assert.Equal("4.0", Mlda.Core.Evaluation.PythonFormat.Repr(4f));
        Assert.Equal("0.1", Mlda.Core.Evaluation.PythonFormat.Repr(0.1f));
        Assert.Equal("1e-05", Mlda.Core.Evaluation.PythonFormat.Repr(1e-5f));
        Assert.Equal("nan", Mlda.Core.Evaluation.PythonFormat.Repr(float.NaN));
    }

    [Fact]
    public void Reference_test_numbers_match_a_direct_computation_and_the_cli_prints_its_line()
    {
        using var dir = new TempDir();
        // Frames 0 and 9 have no neighbour on one side: the reference's filter drops them; 8 lines make 4 batches.
        var entries = Enumerable.Range(0, 10).Select(f => new SplitEntry(Folder, f, 'l', f + 1)).ToList();
        var split = dir["val_files.txt"];
        SplitFile.Write(split, entries);
        var options = new ModelOptions(64, 192);
        using var nets = MldaNetworks.Create(options, imageNetPretrained: false, seed: 3, withPose: false);
        using var model = new Mlda.Prediction.TorchDisparityModel(nets, ownsNetworks: false);
        var predictor = new Mlda.Core.Prediction.DepthPredictor(model, new Mlda.Core.Prediction.DepthScaling(options.MinDepth, options.MaxDepth));
        var result = ReferenceTest.Run(predictor, SharedData.KittiRawSample, entries);
        Assert.Equal(8, result.Items);
        Assert.Equal(4, result.PerBatch.Count);

        var calib = CameraCalibration.Load(Path.Combine(SharedData.KittiRawSample, SharedData.Date));
        var direct = new List<double>();
        for (int b = 0; b < 4; b++)
        {
            var frames = new[] { 1 + 2 * b, 2 + 2 * b };
            var images = frames.Select(f => PilResize.Lanczos(ImageFile.LoadRgb(KittiRawLayout.ImagePath(SharedData.KittiRawSample, Folder, 2, f)), 192, 64)).ToList();
            var gt = frames.Select(f => TrainingGroundTruth.Load(calib, KittiRawLayout.VelodynePath(SharedData.KittiRawSample, Folder, f), 2)).ToList();
            var mats = images.Select(i => i.SwapRedBlue().ToMat()).ToArray();
            direct.Add(DirectRmse(predictor.PredictNetworkSize(mats).Sigmoid.Select(predictor.ScaledDisparity).ToList(), gt));
            foreach (var m in mats) m.Dispose();
        }
        for (int b = 0; b < 4; b++) Assert.Equal(direct[b], result.PerBatch[b].Rmse, direct[b] * 1e-4);
        Assert.Equal(direct.Average(), result.RmseAvg, direct.Average() * 1e-4);
        Assert.Equal(direct.Min(), result.RmseMin, direct.Min() * 1e-4);
        Assert.Equal(direct.Max(), result.RmseMax, direct.Max() * 1e-4);
        Assert.NotEqual(result.RmseMin, result.RmseMax);

        // The command line: the same line, and the same numbers in --json.
        var weights = dir["weights"];
        Checkpoint.Save(weights, nets);
        var json = dir["metrics.json"];
        var o = MldaProcess.Run("eval", "--protocol", "reference", "--data", SharedData.KittiRawSample, "--split-file", split, "--weights", weights, "--json", json);
        Assert.True(o.ExitCode == 0, o.Stderr);
        Assert.Contains(result.Line + "\n", o.Stdout);
        Assert.StartsWith("val_dataset: rmse_avg=", result.Line);
        Assert.Contains(",rmse_min=" + result.RmseMin.ToString("R", CultureInfo.InvariantCulture) + " ,rmse_max=", result.Line);
        Assert.Contains("abs_rel |", o.Stdout);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        Assert.Equal(result.RmseAvg, doc.RootElement.GetProperty("rmse_avg").GetSingle());
        Assert.Equal(result.RmseMax, doc.RootElement.GetProperty("rmse_max").GetSingle());
        Assert.Equal(4, doc.RootElement.GetProperty("per_batch").GetArrayLength());
    }
}

using Mlda.Checkpoints;
using Mlda.Core;
using Mlda.Core.Evaluation;
using Mlda.Core.Kitti;
using Mlda.Core.Prediction;
using Mlda.Export;
using Mlda.Networks;
using Mlda.Prediction;
using Mlda.Runtime;
using Mlda.Tests.Evaluation;
using Xunit.Abstractions;

namespace Mlda.Tests.Prediction;

/// <summary>
/// The one prediction path: a checkpoint (TorchSharp) and its ONNX export (ONNX Runtime) evaluated by the same code
/// agree, the CLI's <c>eval --weights</c> and <c>eval --model</c> print the same metrics, and a bad image met inside
/// the parallel loader is one line with exit code 2.
/// </summary>
public class PredictionPathTests(ITestOutputHelper output)
{
    static string Data => SharedData.KittiRawSample;

    /// <summary>A small random model (ImageNet encoder, random decoder) saved and exported under <paramref name="dir"/>.</summary>
    static (string Weights, string Export) SmallModel(TempDir dir)
    {
        var weights = dir["weights"];
        var export = dir["onnx"];
        using var nets = MldaNetworks.Create(new ModelOptions(Height: 64, Width: 192, TrainingMode: TrainingMode.MonoStereo), imageNetPretrained: true, seed: 5, withPose: false);
        nets.Eval();
        Checkpoint.Save(weights, nets);
        OnnxExporter.Export(nets, export, ExportOptions.ForMode(nets.Options.TrainingMode!));
        return (weights, export);
    }

    internal static EvaluationResult Evaluate(DepthPredictor predictor, string splitPath)
    {
        var entries = SplitFile.Read(splitPath);
        var d = SplitPrediction.Predict(predictor, Data, entries, splitPath, batchSize: 2);
        var gt = GroundTruthSet.Generate(Data, entries, splitPath);
        var options = new EvaluationOptions(EvaluationMode.Mono);
        return d.Mirrored is null ? EigenEvaluation.Evaluate(gt, d.Disparities, options) : EigenEvaluation.EvaluatePostProcessed(gt, d.Disparities, d.Mirrored, options);
    }

    [Fact]
    public void An_export_evaluates_as_its_checkpoint()
    {
        using var dir = new TempDir();
        var (weights, export) = SmallModel(dir);
        File.WriteAllText(dir["split.txt"], ReferenceData.SplitText);
        foreach (bool flip in new[] { false, true })
        {
            EvaluationResult torchResult, onnxResult;
            using (var torch = TorchDisparityModel.Load(weights))
                torchResult = Evaluate(new DepthPredictor(torch, CheckpointScaling.For(weights, torch.Networks.Options), flip), dir["split.txt"]);
            using (var onnx = OnnxDepthModel.Load(export))
                onnxResult = Evaluate(new DepthPredictor(onnx, onnx.Manifest.Scaling(), flip), dir["split.txt"]);
            output.WriteLine($"flip {flip}: abs_rel TorchSharp {torchResult.Mean.AbsRel:F6}, ONNX Runtime {onnxResult.Mean.AbsRel:F6}");
            Assert.InRange(torchResult.Mean.AbsRel, 0.01, 10);   // a real number, not a degenerate table
            Assert.True(Math.Abs(torchResult.Mean.AbsRel - onnxResult.Mean.AbsRel) < 1e-3, $"flip {flip}: {torchResult.Mean.AbsRel} vs {onnxResult.Mean.AbsRel}");
            Assert.True(Math.Abs(torchResult.Mean.Rmse - onnxResult.Mean.Rmse) < 1e-2 * torchResult.Mean.Rmse);
        }
    }

    [Fact]
    public void Post_processing_runs_the_mirror_images_in_the_same_batch()
    {
        using var model = new FakeDisparityModel();
        using var dir = new TempDir();
        File.WriteAllText(dir["split.txt"], ReferenceData.SplitText);
        var entries = SplitFile.Read(dir["split.txt"]);
        var d = SplitPrediction.Predict(new DepthPredictor(model, new DepthScaling(), flipPostProcess: true), Data, entries, dir["split.txt"], batchSize: 3);
        Assert.Equal([6, 2], model.Batches);           // 3 images + their 3 mirror images, then 1 + 1
        Assert.Equal(4, d.Disparities.Count);
        Assert.Equal(4, d.Mirrored!.Count);
        // the fake follows the red channel, so the mirrored prediction is the direct one mirrored
        var back = DisparityPostProcess.FlipHorizontal(d.Mirrored[1]);
        Assert.Equal(d.Disparities[1].Values, back.Values);
    }

    [Fact]
    public void Eval_with_weights_and_with_model_print_the_same_metrics_and_bad_images_are_one_line()
    {
        using var dir = new TempDir();
        var (weights, export) = SmallModel(dir);
        File.WriteAllText(dir["split.txt"], ReferenceData.SplitText);
        string[] Args(string kind, string path, string split, params string[] more) =>
            ["eval", "--data", Data, "--split-file", split, kind, path, "--eval-mode", "mono", "--batch-size", "2", .. more];

        var t = MldaProcess.Run(Args("--weights", weights, dir["split.txt"], "--json", dir["t.json"]));
        Assert.True(t.ExitCode == 0, t.Stderr);
        var o = MldaProcess.Run(Args("--model", export, dir["split.txt"], "--json", dir["o.json"]));
        Assert.True(o.ExitCode == 0, o.Stderr);
        double AbsRel(string json) => (double)System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(json))!["metrics"]!["abs_rel"]!;
        Assert.True(Math.Abs(AbsRel(dir["t.json"]) - AbsRel(dir["o.json"])) < 1e-3, $"{AbsRel(dir["t.json"])} vs {AbsRel(dir["o.json"])}");
        Assert.Contains("-> Done!", o.Stdout);

        // a split line naming a frame without an image: raised in a parallel loader worker
        File.WriteAllText(dir["missing.txt"], $"{ReferenceData.Folder} 0 l\n{ReferenceData.Folder} 9999 l\n");
        MldaProcess.AssertBadInput(MldaProcess.Run(Args("--weights", weights, dir["missing.txt"], "--json", dir["m.json"])),
            "missing.txt:2:", "0000009999.png", "image not found");

        // a corrupt image (not a PNG at all), through the ONNX path too
        var root = dir["kitti"];
        var images = Path.Combine(root, SharedData.Date, SharedData.Drive, "image_02", "data");
        Directory.CreateDirectory(images);
        File.WriteAllBytes(Path.Combine(images, "0000000000.png"), [0x89, 0x50, 0x4e, 0x47, 1, 2, 3, 4, 5]);
        File.WriteAllText(dir["one.txt"], $"{ReferenceData.Folder} 0 l\n");
        foreach (var (kind, path) in new[] { ("--weights", weights), ("--model", export) })
            MldaProcess.AssertBadInput(MldaProcess.Run(["eval", "--data", root, "--split-file", dir["one.txt"], kind, path, "--eval-mode", "mono", "--json", dir["m.json"]]),
                "one.txt:1:", "0000000000.png");
        Assert.False(File.Exists(dir["m.json"]));
    }

    [Fact]
    public void Eval_takes_exactly_one_source_of_disparities()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["split.txt"], ReferenceData.SplitText);
        MldaProcess.AssertBadInput(MldaProcess.Run("eval", "--data", Data, "--split-file", dir["split.txt"], "--weights", dir.Path, "--model", dir.Path, "--eval-mode", "mono"),
            "exactly one of --disps, --weights and --model");
    }
}

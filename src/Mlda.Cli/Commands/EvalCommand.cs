using System.CommandLine;
using Mlda.Core;
using Mlda.Core.Evaluation;
using Mlda.Core.Imaging;
using Mlda.Core.Kitti;
using Mlda.Core.Prediction;
using Mlda.Runtime;
using System.Runtime.CompilerServices;

namespace Mlda.Cli.Commands;

/// <summary>
/// <c>mlda eval</c>: monodepth2's Eigen protocol (evaluate_depth.py) on disparities in split order, from a checkpoint
/// (<c>--weights</c>, TorchSharp), an ONNX export (<c>--model</c>, ONNX Runtime only) or a file (<c>--disps</c>).
/// Both models go through the same <see cref="SplitPrediction"/>; <see cref="Evaluate"/> is shared by all three.
/// </summary>
public static class EvalCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "KITTI raw data root", Required = true };
        var split = new Option<string>("--split-file") { Description = "split file naming the evaluated frames, in the order of the disparities", Required = true };
        var disps = new Option<string?>("--disps") { Description = "float32 (N,H,W) .npy of predicted disparities in split order (monodepth2 --ext_disp_to_eval)" };
        var weights = new Option<string?>("--weights") { Description = "a trained model folder (e.g. <log-dir>/<name>/models/best_weights) to predict the disparities with TorchSharp" };
        var model = new Option<string?>("--model") { Description = "an exported model folder (mlda.onnx + model.json, from mlda export) to predict the disparities with ONNX Runtime" };
        var mode = new Option<string>("--eval-mode") { Description = "mono: per-image median scaling; stereo: x5.4", Required = true };
        mode.AcceptOnlyFromAmong("mono", "stereo");
        var post = new Option<bool>("--post-process") { Description = "flip post-processing: with --weights/--model the mirror images are predicted in the same batch; --disps then holds 2N maps: the N disparities, then those predicted for the mirrored images (still mirrored)" };
        var batch = new Option<int>("--batch-size") { Description = "images per forward pass with --weights/--model (doubled by --post-process); the guided filter normalises over the batch", DefaultValueFactory = _ => 8 };
        var json = new Option<string?>("--json") { Description = "also write the metrics (and per-image metrics) to this JSON file" };
        var mask = new Option<string>("--mask") { Description = "eigen: 1e-3<gt<80 and the Eigen crop (eigen split); valid: gt>0 only (other splits)", DefaultValueFactory = _ => "eigen" };
        mask.AcceptOnlyFromAmong("eigen", "valid");
        var gt = new Option<string?>("--gt") { Description = "ground truth from `mlda export-gt` for this split, instead of regenerating it from the scans" };
        var command = new Command("eval", "Eigen-protocol evaluation of a checkpoint, an ONNX export or external disparities");
        foreach (var o in new Option[] { data, split, disps, weights, model, mode, post, batch, json, mask, gt }) command.Options.Add(o);
        command.SetAction(pr => CommandRunner.Run(ct =>
        {
            var splitPath = pr.GetValue(split)!;
            var entries = SplitFile.Read(splitPath);
            var dispPath = pr.GetValue(disps);
            var weightsPath = pr.GetValue(weights);
            var modelPath = pr.GetValue(model);
            if (new[] { dispPath, weightsPath, modelPath }.Count(p => p is not null) != 1)
                throw new InputException(splitPath, "give exactly one of --disps, --weights and --model");
            if (pr.GetValue(batch) < 1) throw new InputException(null, $"--batch-size must be at least 1, got {pr.GetValue(batch)}");
            bool postProcess = pr.GetValue(post);
            ExternalDisparities external;
            if (dispPath is not null)
            {
                Console.WriteLine($"-> Loading predictions from {dispPath}");
                external = ExternalDisparities.Read(dispPath, entries.Count, splitPath, postProcess);
            }
            else
            {
                Console.WriteLine($"-> Loading {(weightsPath is null ? "the exported model" : "weights")} from {weightsPath ?? modelPath}");
                var predictor = weightsPath is not null ? CheckpointPredictor(weightsPath, postProcess) : ExportPredictor(modelPath!, postProcess);
                using var disparityModel = predictor.Model;
                Console.WriteLine($"-> Computing predictions with size {disparityModel.Width}x{disparityModel.Height}");
                external = SplitPrediction.Predict(predictor, pr.GetValue(data)!, entries, splitPath, pr.GetValue(batch), new ConsoleProgress(), ct);
            }
            var options = new EvaluationOptions(
                pr.GetValue(mode) == "stereo" ? EvaluationMode.Stereo : EvaluationMode.Mono,
                pr.GetValue(mask) == "valid" ? EvaluationMask.ValidGroundTruth : EvaluationMask.Eigen);
            var groundTruth = LoadGroundTruth(pr.GetValue(data)!, entries, splitPath, pr.GetValue(gt), ct);
            var result = Evaluate(groundTruth, external.Disparities, external.Mirrored, options, ct);
            if (pr.GetValue(json) is { } jsonPath)
                EvaluationReport.WriteJson(jsonPath, result, new Dictionary<string, string>
                {
                    ["split_file"] = Path.GetFullPath(splitPath),
                    [weightsPath is not null ? "weights" : modelPath is not null ? "model" : "disparities"] = Path.GetFullPath(weightsPath ?? modelPath ?? dispPath!),
                    ["post_process"] = postProcess ? "true" : "false",
                });
            Console.WriteLine("\n-> Done!");
            return 0;
        }));
        return command;
    }

    // Separate methods, never inlined, so that the --model path does not load TorchSharp: the JIT resolves the
    // types a method uses when it compiles that method. Evaluation takes scaled disparities (disp_to_depth): only the
    // depth range of the scaling matters here, not its metric factor.
    [MethodImpl(MethodImplOptions.NoInlining)]
    static DepthPredictor CheckpointPredictor(string weightsDir, bool postProcess)
    {
        var model = Mlda.Prediction.TorchDisparityModel.Load(weightsDir);
        var o = model.Networks.Options;
        return new DepthPredictor(model, new DepthScaling(o.MinDepth, o.MaxDepth), postProcess);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    static DepthPredictor ExportPredictor(string modelDir, bool postProcess)
    {
        var model = OnnxDepthModel.Load(modelDir);
        return new DepthPredictor(model, model.Manifest.Scaling(), postProcess);
    }

    static IReadOnlyList<FloatMap> LoadGroundTruth(string dataRoot, IReadOnlyList<SplitEntry> entries, string splitPath, string? gtPath, CancellationToken ct)
    {
        // Made per image during the evaluation, so the 697 maps of the eigen split are never all in memory.
        if (gtPath is null) return GroundTruthSet.Open(dataRoot, entries, splitPath);
        var maps = GroundTruthSet.Read(gtPath);
        if (maps.Count != entries.Count) throw new InputException(gtPath, $"{maps.Count} ground-truth maps, but {splitPath} has {entries.Count} lines");
        return maps;
    }

    /// <summary>Prints and returns the evaluation of disparities (and, with post-processing, their mirrored twins).</summary>
    public static EvaluationResult Evaluate(IReadOnlyList<FloatMap> groundTruth, IReadOnlyList<FloatMap> disparities,
        IReadOnlyList<FloatMap>? mirrored, EvaluationOptions options, CancellationToken ct)
    {
        Console.WriteLine("-> Evaluating");
        Console.WriteLine(EvaluationReport.ModeLine(options));
        if (groundTruth.Count != disparities.Count)
            throw new InputException(null, $"{disparities.Count} disparities for {groundTruth.Count} ground-truth maps");
        var result = mirrored is null
            ? EigenEvaluation.Evaluate(groundTruth, disparities, options, new ConsoleProgress(), ct)
            : EigenEvaluation.EvaluatePostProcessed(groundTruth, disparities, mirrored, options, new ConsoleProgress(), ct);
        Console.Write(EvaluationReport.Table(result));
        return result;
    }
}

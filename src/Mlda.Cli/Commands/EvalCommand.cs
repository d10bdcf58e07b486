using System.CommandLine;
using Mlda.Core;
using Mlda.Core.Evaluation;
using Mlda.Core.Imaging;
using Mlda.Core.Kitti;
using Mlda.Core.Prediction;
using Mlda.Runtime;
using System.Runtime.CompilerServices;
using Mlda.Core.Scenes;

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
        var data = new Option<string>("--data") { Description = "KITTI raw data root, or a scene folder (ROOT/train.txt, val.txt, test.txt, ROOT/<scene>/...)", Required = true };
        var split = new Option<string?>("--split-file") { Description = "KITTI: split file naming the evaluated frames, in the order of the disparities" };
        var named = SplitOption.Create("its test_files.txt (eigen protocol) or val_files.txt (reference protocol); on a scene folder NAME means ROOT/NAME.txt (default test)");
        var protocol = new Option<string>("--protocol") { Description = "eigen: monodepth2's evaluate_depth.py; reference: the reference's test.py (validation RMSE over batches of 2, needs --weights)", DefaultValueFactory = _ => "eigen" };
        protocol.AcceptOnlyFromAmong("eigen", "reference");
        var disps = new Option<string?>("--disps") { Description = "float32 (N,H,W) .npy of predicted disparities in split order (monodepth2 --ext_disp_to_eval)" };
        var weights = new Option<string?>("--weights") { Description = "a trained model folder (e.g. <log-dir>/<name>/models/best_weights) to predict the disparities with TorchSharp" };
        var model = new Option<string?>("--model") { Description = "an exported model folder (mlda.onnx + model.json, from mlda export) to predict the disparities with ONNX Runtime" };
        var mode = new Option<string?>("--eval-mode") { Description = "mono: per-image median scaling; stereo: x5.4 (KITTI eigen protocol: required; scene folders: mono unless --scale)" };
        var maxDepth = new Option<double>("--max-depth") { Description = "scene folder: ground truth beyond this (metres) is not evaluated and predictions are clamped to it", DefaultValueFactory = _ => EvaluationOptions.MaxDepth };
        var scale = new Option<double?>("--scale") { Description = "scene folder: a fixed scale (metres per network unit) instead of per-image median scaling" };
        var precision = SharedOptions.Precision();
        var intrinsics = new Option<string?>("--intrinsics") { Description = "scene folder: fx,fy,cx,cy in pixels for scenes without cam.txt" };
        mode.AcceptOnlyFromAmong("mono", "stereo");
        var post = new Option<bool>("--post-process") { Description = "flip post-processing: with --weights/--model the mirror images are predicted in the same batch; --disps then holds 2N maps: the N disparities, then those predicted for the mirrored images (still mirrored)" };
        var batch = new Option<int>("--batch-size") { Description = "images per forward pass with --weights/--model (doubled by --post-process); the guided filter normalises over the batch", DefaultValueFactory = _ => 8 };
        var json = new Option<string?>("--json") { Description = "also write the metrics (and per-image metrics) to this JSON file" };
        var mask = new Option<string>("--mask") { Description = "eigen: 1e-3<gt<80 and the Eigen crop (eigen split); valid: gt>0 only (other splits)", DefaultValueFactory = _ => "eigen" };
        mask.AcceptOnlyFromAmong("eigen", "valid");
        var gt = new Option<string?>("--gt") { Description = "ground truth from `mlda export-gt` for this split, instead of regenerating it from the scans" };
        var command = new Command("eval", "Eigen-protocol evaluation of a checkpoint, an ONNX export or external disparities");
        foreach (var o in new Option[] { data, split, named, protocol, disps, weights, model, mode, post, batch, json, mask, gt, maxDepth, scale, intrinsics, precision }) command.Options.Add(o);
        command.SetAction(pr => CommandRunner.Run(ct =>
        {
            var exportPrecision = SharedOptions.PrecisionValue(pr, precision);
            if (SharedOptions.Given(pr, precision) && pr.GetValue(model) is null)
                throw new InputException(null, "--precision chooses the graph of an export: use it with --model");
            if (pr.GetValue(split) is null && SceneLayout.IsSceneRoot(pr.GetValue(data)!))
                return EvaluateScenes(pr.GetValue(data)!, pr.GetValue(named) ?? "test", pr.GetValue(weights), pr.GetValue(model), pr.GetValue(mode), pr.GetValue(scale),
                    pr.GetValue(maxDepth), pr.GetValue(post), pr.GetValue(batch), pr.GetValue(json), pr.GetValue(intrinsics), exportPrecision, ct);
            bool reference = pr.GetValue(protocol) == "reference";
            var splitPath = SplitOption.FileOf(pr.GetValue(split), pr.GetValue(named), reference ? ["val"] : ["test", "val"]);
            var entries = SplitFile.Read(splitPath);
            if (reference) return ReferenceTestReport.Run(pr.GetValue(data)!, splitPath, entries, pr.GetValue(weights), pr.GetValue(json), ct);
            if (pr.GetValue(mode) is null) throw new InputException(null, "--eval-mode mono|stereo is required by the eigen protocol");
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
                var predictor = weightsPath is not null ? CheckpointPredictor(weightsPath, postProcess) : ExportPredictor(modelPath!, postProcess, exportPrecision);
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
    static DepthPredictor ExportPredictor(string modelDir, bool postProcess, ModelPrecision precision)
    {
        var model = OnnxDepthModel.Load(modelDir, precision: precision);
        return new DepthPredictor(model, model.Manifest.Scaling(), postProcess);
    }

    /// <summary>A scene folder's split: its frames with ground truth, predicted by a checkpoint or an export.</summary>
    static int EvaluateScenes(string root, string splitName, string? weightsPath, string? modelPath, string? mode, double? scale, double maxDepth,
                              bool postProcess, int batchSize, string? jsonPath, string? intrinsics, ModelPrecision precision, CancellationToken ct)
    {
        var splitPath = SceneLayout.SplitPath(root, splitName);
        if ((weightsPath is null) == (modelPath is null)) throw new InputException(splitPath, "a scene folder is evaluated with --weights (a model folder) or --model (an export)");
        if (!(maxDepth > EvaluationOptions.MinDepth)) throw new InputException(null, $"--max-depth must exceed {EvaluationOptions.MinDepth}, got {maxDepth}");
        if (scale is { } sc && !(sc > 0)) throw new InputException(null, $"--scale must be positive, got {sc}");
        if (batchSize < 1) throw new InputException(null, $"--batch-size must be at least 1, got {batchSize}");
        if (mode == "stereo" && scale is null) scale = EvaluationOptions.StereoScaleFactor;
        var scenes = SceneLayout.OpenSplit(root, splitName, intrinsics is null ? null : IntrinsicsArgument.Parse(intrinsics));
        foreach (var w in scenes.SelectMany(s => s.Warnings)) Console.Error.WriteLine("warning: " + w);
        var options = new EvaluationOptions(scale is null ? EvaluationMode.Mono : EvaluationMode.Stereo, EvaluationMask.ValidBelowCap)
        {
            FixedScale = scale ?? EvaluationOptions.StereoScaleFactor,
            DepthCap = maxDepth,
        };
        Console.WriteLine($"-> Loading {(weightsPath is null ? "the exported model" : "weights")} from {weightsPath ?? modelPath}");
        var predictor = weightsPath is not null ? CheckpointPredictor(weightsPath, postProcess) : ExportPredictor(modelPath!, postProcess, precision);
        using var disparityModel = predictor.Model;
        Console.WriteLine($"-> Evaluating {scenes.Count} scene(s) of {splitPath} at {disparityModel.Width}x{disparityModel.Height}");
        Console.WriteLine(EvaluationReport.ModeLine(options));
        var result = SceneEvaluation.Run(predictor, scenes, options, splitPath, batchSize, new ConsoleProgress(), ct);
        Console.Write(EvaluationReport.Table(result));
        if (jsonPath is not null)
            EvaluationReport.WriteJson(jsonPath, result, new Dictionary<string, string>
            {
                ["split_file"] = Path.GetFullPath(splitPath),
                [weightsPath is not null ? "weights" : "model"] = Path.GetFullPath(weightsPath ?? modelPath!),
                ["post_process"] = postProcess ? "true" : "false",
            });
        Console.WriteLine("\n-> Done!");
        return 0;
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

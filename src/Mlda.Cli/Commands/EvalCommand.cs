using System.CommandLine;
using Mlda.Core;
using Mlda.Core.Evaluation;
using Mlda.Core.Imaging;
using Mlda.Core.Kitti;
using Mlda.Core.Scenes;

namespace Mlda.Cli.Commands;

/// <summary>
/// <c>mlda eval</c>: monodepth2's Eigen protocol (evaluate_depth.py) on disparities in split order. Today they come
/// from <c>--disps</c>; a model (<c>--weights</c>) only has to produce the same list of disparities, after which
/// <see cref="Evaluate"/> is shared.
/// </summary>
public static class EvalCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "KITTI raw data root, or a scene folder (ROOT/train.txt, val.txt, test.txt, ROOT/<scene>/...)", Required = true };
        var split = new Option<string?>("--split-file") { Description = "KITTI: split file naming the evaluated frames, in the order of the disparities" };
        var sceneSplit = new Option<string>("--split") { Description = "scene folder: evaluate the scenes of ROOT/<NAME>.txt (test, val, train)", DefaultValueFactory = _ => "test" };
        var maxDepth = new Option<double>("--max-depth") { Description = "scene folder: ground truth beyond this (metres) is not evaluated and predictions are clamped to it", DefaultValueFactory = _ => EvaluationOptions.MaxDepth };
        var scale = new Option<double?>("--scale") { Description = "scene folder: a fixed scale (metres per network unit) instead of per-image median scaling" };
        var intrinsics = new Option<string?>("--intrinsics") { Description = "scene folder: fx,fy,cx,cy in pixels for scenes without cam.txt" };
        var disps = new Option<string?>("--disps") { Description = "float32 (N,H,W) .npy of predicted disparities in split order (monodepth2 --ext_disp_to_eval)" };
        var weights = new Option<string?>("--weights") { Description = "a trained model folder (e.g. <log-dir>/<name>/models/best_weights) to predict the disparities with, instead of --disps" };
        var mode = new Option<string?>("--eval-mode") { Description = "mono: per-image median scaling; stereo: x5.4 (KITTI: required; scene folders: mono unless --scale)" };
        mode.AcceptOnlyFromAmong("mono", "stereo");
        var post = new Option<bool>("--post-process") { Description = "flip post-processing: with --weights the mirrored images are predicted too; --disps then holds 2N maps: the N disparities, then those predicted for the mirrored images (still mirrored)" };
        var json = new Option<string?>("--json") { Description = "also write the metrics (and per-image metrics) to this JSON file" };
        var mask = new Option<string>("--mask") { Description = "eigen: 1e-3<gt<80 and the Eigen crop (eigen split); valid: gt>0 only (other splits)", DefaultValueFactory = _ => "eigen" };
        mask.AcceptOnlyFromAmong("eigen", "valid");
        var gt = new Option<string?>("--gt") { Description = "ground truth from `mlda export-gt` for this split, instead of regenerating it from the scans" };
        var command = new Command("eval", "Eigen-protocol evaluation of a model or of external disparities");
        foreach (var o in new Option[] { data, split, sceneSplit, disps, weights, mode, post, json, mask, gt, maxDepth, scale, intrinsics }) command.Options.Add(o);
        command.SetAction(pr => CommandRunner.Run(ct =>
        {
            if (pr.GetValue(split) is null && SceneLayout.IsSceneRoot(pr.GetValue(data)!))
                return EvaluateScenes(pr.GetValue(data)!, pr.GetValue(sceneSplit)!, pr.GetValue(weights), pr.GetValue(mode), pr.GetValue(scale),
                    pr.GetValue(maxDepth), pr.GetValue(post), pr.GetValue(json), pr.GetValue(intrinsics), ct);
            var splitPath = pr.GetValue(split) ?? throw new InputException(pr.GetValue(data), "give --split-file (KITTI), or a scene folder (with train.txt or test.txt) as --data");
            if (pr.GetValue(mode) is null) throw new InputException(splitPath, "give --eval-mode mono or stereo");
            var entries = SplitFile.Read(splitPath);
            var dispPath = pr.GetValue(disps);
            var weightsPath = pr.GetValue(weights);
            if ((dispPath is null) == (weightsPath is null)) throw new InputException(splitPath, "give exactly one of --disps and --weights");
            bool postProcess = pr.GetValue(post);
            ExternalDisparities external;
            if (weightsPath is not null)
            {
                Console.WriteLine($"-> Loading weights from {weightsPath}");
                using var predictor = Mlda.Evaluation.SplitPredictor.Load(weightsPath);
                Console.WriteLine($"-> Computing predictions with size {predictor.Options.Width}x{predictor.Options.Height}");
                var (predicted, mirroredPredicted) = predictor.PredictSplit(pr.GetValue(data)!, entries, postProcess, progress: new ConsoleProgress(), ct: ct);
                external = new ExternalDisparities(predicted, mirroredPredicted);
            }
            else
            {
                Console.WriteLine($"-> Loading predictions from {dispPath}");
                external = ExternalDisparities.Read(dispPath!, entries.Count, splitPath, postProcess);
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
                    [weightsPath is null ? "disparities" : "weights"] = Path.GetFullPath(weightsPath ?? dispPath!),
                    ["post_process"] = postProcess ? "true" : "false",
                });
            Console.WriteLine("\n-> Done!");
            return 0;
        }));
        return command;
    }

    /// <summary>A scene folder's split: its frames with ground truth, predicted by <paramref name="weightsPath"/>.</summary>
    static int EvaluateScenes(string root, string splitName, string? weightsPath, string? mode, double? scale, double maxDepth,
                              bool postProcess, string? jsonPath, string? intrinsics, CancellationToken ct)
    {
        var splitPath = SceneLayout.SplitPath(root, splitName);
        if (weightsPath is null) throw new InputException(splitPath, "a scene folder is evaluated with --weights (a model folder)");
        if (!(maxDepth > EvaluationOptions.MinDepth)) throw new InputException(null, $"--max-depth must exceed {EvaluationOptions.MinDepth}, got {maxDepth}");
        if (scale is { } sc && !(sc > 0)) throw new InputException(null, $"--scale must be positive, got {sc}");
        if (mode == "stereo" && scale is null) scale = EvaluationOptions.StereoScaleFactor;
        var scenes = SceneLayout.OpenSplit(root, splitName, intrinsics is null ? null : IntrinsicsArgument.Parse(intrinsics));
        foreach (var w in scenes.SelectMany(s => s.Warnings)) Console.Error.WriteLine("warning: " + w);
        var options = new EvaluationOptions(scale is null ? EvaluationMode.Mono : EvaluationMode.Stereo, EvaluationMask.ValidBelowCap)
        {
            FixedScale = scale ?? EvaluationOptions.StereoScaleFactor,
            DepthCap = maxDepth,
        };
        Console.WriteLine($"-> Loading weights from {weightsPath}");
        using var predictor = Mlda.Evaluation.SplitPredictor.Load(weightsPath);
        Console.WriteLine($"-> Evaluating {scenes.Count} scene(s) of {splitPath} at {predictor.Options.Width}x{predictor.Options.Height}");
        Console.WriteLine(EvaluationReport.ModeLine(options));
        var result = Mlda.Scenes.SceneEvaluation.Run(predictor, scenes, options, splitPath, postProcess, new ConsoleProgress(), ct);
        Console.Write(EvaluationReport.Table(result));
        if (jsonPath is not null)
            EvaluationReport.WriteJson(jsonPath, result, new Dictionary<string, string>
            {
                ["split_file"] = Path.GetFullPath(splitPath),
                ["weights"] = Path.GetFullPath(weightsPath),
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

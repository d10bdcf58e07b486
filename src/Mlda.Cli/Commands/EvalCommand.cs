using System.CommandLine;
using Mlda.Core;
using Mlda.Core.Evaluation;
using Mlda.Core.Imaging;
using Mlda.Core.Kitti;

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
        var data = new Option<string>("--data") { Description = "KITTI raw data root", Required = true };
        var split = new Option<string?>("--split-file") { Description = "split file naming the evaluated frames, in the order of the disparities" };
        var named = SplitOption.Create("its test_files.txt (eigen protocol) or val_files.txt (reference protocol)");
        var protocol = new Option<string>("--protocol") { Description = "eigen: monodepth2's evaluate_depth.py; reference: the reference's test.py (validation RMSE over batches of 2, needs --weights)", DefaultValueFactory = _ => "eigen" };
        protocol.AcceptOnlyFromAmong("eigen", "reference");
        var disps = new Option<string?>("--disps") { Description = "float32 (N,H,W) .npy of predicted disparities in split order (monodepth2 --ext_disp_to_eval)" };
        var weights = new Option<string?>("--weights") { Description = "a trained model folder (e.g. <log-dir>/<name>/models/best_weights) to predict the disparities with, instead of --disps" };
        var mode = new Option<string?>("--eval-mode") { Description = "mono: per-image median scaling; stereo: x5.4 (needed by the eigen protocol)" };
        mode.AcceptOnlyFromAmong("mono", "stereo");
        var post = new Option<bool>("--post-process") { Description = "flip post-processing: with --weights the mirrored images are predicted too; --disps then holds 2N maps: the N disparities, then those predicted for the mirrored images (still mirrored)" };
        var json = new Option<string?>("--json") { Description = "also write the metrics (and per-image metrics) to this JSON file" };
        var mask = new Option<string>("--mask") { Description = "eigen: 1e-3<gt<80 and the Eigen crop (eigen split); valid: gt>0 only (other splits)", DefaultValueFactory = _ => "eigen" };
        mask.AcceptOnlyFromAmong("eigen", "valid");
        var gt = new Option<string?>("--gt") { Description = "ground truth from `mlda export-gt` for this split, instead of regenerating it from the scans" };
        var command = new Command("eval", "Eigen-protocol evaluation of a model or of external disparities");
        foreach (var o in new Option[] { data, split, named, protocol, disps, weights, mode, post, json, mask, gt }) command.Options.Add(o);
        command.SetAction(pr => CommandRunner.Run(ct =>
        {
            bool reference = pr.GetValue(protocol) == "reference";
            var splitPath = SplitOption.FileOf(pr.GetValue(split), pr.GetValue(named), reference ? ["val"] : ["test", "val"]);
            var entries = SplitFile.Read(splitPath);
            if (reference) return ReferenceTestReport.Run(pr.GetValue(data)!, splitPath, entries, pr.GetValue(weights), pr.GetValue(json), ct);
            if (pr.GetValue(mode) is null) throw new InputException(null, "--eval-mode mono|stereo is required by the eigen protocol");
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

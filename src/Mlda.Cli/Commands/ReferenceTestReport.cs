using System.Text.Json;
using Mlda.Core;
using Mlda.Core.Evaluation;
using Mlda.Core.IO;
using Mlda.Core.Kitti;
using Mlda.Evaluation;

namespace Mlda.Cli.Commands;

/// <summary><c>mlda eval --protocol reference</c>: the reference's test.py printout, the usual table and the JSON.</summary>
static class ReferenceTestReport
{
    public static int Run(string dataRoot, string splitPath, IReadOnlyList<SplitEntry> entries, string? weightsPath, string? jsonPath, CancellationToken ct)
    {
        if (weightsPath is null) throw new InputException(splitPath, "the reference protocol predicts with a model: give --weights");
        Console.WriteLine($"-> Loading weights from {weightsPath}");
        using var model = Mlda.Prediction.TorchDisparityModel.Load(weightsPath);
        var predictor = new Mlda.Core.Prediction.DepthPredictor(model, new Mlda.Core.Prediction.DepthScaling(model.Networks.Options.MinDepth, model.Networks.Options.MaxDepth));
        var result = ReferenceTest.Run(predictor, dataRoot, entries, progress: new ConsoleProgress(), ct: ct);
        Console.WriteLine($"There are {result.Items} validation items in batches of {ReferenceTest.BatchSize} (of {entries.Count} lines)");
        Console.WriteLine(result.Line);
        var table = new EvaluationResult(new EvaluationOptions(EvaluationMode.Mono, EvaluationMask.ValidGroundTruth), result.Mean, result.PerBatch, [], null, null);
        Console.Write(EvaluationReport.Table(table));
        if (jsonPath is not null)
        {
            var json = EvaluationReport.ToJson(table, new Dictionary<string, string>
            {
                ["protocol"] = "reference",
                ["split_file"] = Path.GetFullPath(splitPath),
                ["weights"] = Path.GetFullPath(weightsPath),
            });
            // Per batch, not per image: the reference's metric pools and scales each batch of two.
            json.Remove("per_image");
            json["images"] = result.Items;
            json["batch_size"] = ReferenceTest.BatchSize;
            json["rmse_avg"] = result.RmseAvg;
            json["rmse_min"] = result.RmseMin;
            json["rmse_max"] = result.RmseMax;
            json["per_batch"] = EvaluationReport.ToJson(table)["per_image"]!.DeepClone();
            AtomicFile.WriteAllText(jsonPath, json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        }
        Console.WriteLine("\n-> Done!");
        return 0;
    }
}

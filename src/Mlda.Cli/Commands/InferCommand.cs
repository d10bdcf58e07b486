using System.CommandLine;
using Mlda.Core.Prediction;
using Mlda.Runtime;

namespace Mlda.Cli.Commands;

public static class InferCommand
{
    public static Command Create()
    {
        var modelDir = new Option<string>("--model") { Description = "exported model folder (mlda.onnx + model.json, from mlda export)", Required = true };
        var threads = SharedOptions.Threads("ONNX Runtime intra-op threads (0: one per physical core)");
        var precision = SharedOptions.Precision();
        var io = new PredictionCliOptions();
        var command = new Command("infer", "depth for an image, a folder or a video with the exported model and ONNX Runtime only");
        command.Options.Add(modelDir);
        command.Options.Add(threads);
        command.Options.Add(precision);
        io.AddTo(command);
        command.SetAction(pr => CommandRunner.Run(ct =>
        {
            var request = io.Request(pr);
            using var model = OnnxDepthModel.Load(pr.GetValue(modelDir)!, new RuntimeOptions(IntraOpThreads: pr.GetValue(threads)),
                SharedOptions.PrecisionValue(pr, precision));
            return io.Run(pr, model, model.Manifest.Scaling(io.UserScale(pr)), request, ct);
        }));
        return command;
    }
}

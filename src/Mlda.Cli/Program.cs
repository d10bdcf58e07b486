using System.CommandLine;
using Mlda.Cli.Commands;

var root = new RootCommand("MLDA-Net for .NET: self-supervised monocular depth estimation, from KITTI raw drives to ONNX.");
foreach (var command in new[]
{
    DemoCommand.Create(),
    SynthCommand.Create(),
    HintsCommand.Create(),
    ExportGtCommand.Create(),
    FramesCommand.Create(),
    ScenesCommand.Create(),
    TrainCommand.Create(),
    EvalCommand.Create(),
    PredictCommand.Create(),
    ExportCommand.Create(),
    InferCommand.Create(),
    InfoCommand.Create(),
    BenchCommand.Create(),
})
{
    root.Subcommands.Add(command);
}
return root.Parse(args).Invoke();

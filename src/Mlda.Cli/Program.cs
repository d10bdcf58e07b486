using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using Mlda.Cli.Commands;

var root = new RootCommand("MLDA-Net for .NET: self-supervised monocular depth estimation, from KITTI raw drives to ONNX.");
foreach (var command in new[]
{
    DemoCommand.Create(),
    SynthCommand.Create(),
    HintsCommand.Create(),
    ExportGtCommand.Create(),
    ImportWeightsCommand.Create(),
    FramesCommand.Create(),
    ScenesCommand.Create(),
    TrainCommand.Create(),
    EvalCommand.Create(),
    PredictCommand.Create(),
    ExportCommand.Create(),
    InferCommand.Create(),
    ServeCommand.Create(),
    InfoCommand.Create(),
    BenchCommand.Create(),
})
{
    root.Subcommands.Add(command);
}
var parse = root.Parse(args);
if (parse.Action is HelpAction)
{
    // The root command is named after the entry assembly (Mlda.Cli: see Mlda.Cli.csproj); the program is `mlda`.
    var help = new StringWriter();
    parse.InvocationConfiguration.Output = help;
    parse.Invoke();
    Console.Write(help.ToString().Replace($"  {RootCommand.ExecutableName}", "  mlda").Replace($"{RootCommand.ExecutableName} [command]", "mlda [command]"));
    return 0;
}
if (parse.Errors.Count > 0)
{
    // A mistyped command line is bad input like any other: one line, exit code 2.
    var names = new List<string>();
    for (var r = parse.CommandResult; r.Command is not RootCommand; r = (CommandResult)r.Parent!) names.Insert(0, r.Command.Name);
    Console.Error.WriteLine($"error: {parse.Errors[0].Message} (see `{string.Join(' ', ["mlda", .. names])} --help`)");
    return CommandRunner.BadInput;
}
return parse.Invoke();

using System.CommandLine;

namespace Mlda.Cli.Commands;

public static class InferCommand
{
    public static Command Create()
    {
        var command = new Command("infer", "predictions from an exported ONNX model with ONNX Runtime only");
        command.SetAction(_ => CommandRunner.Run(_ =>
        {
            Console.Error.WriteLine("mlda infer: not implemented yet");
            return 1;
        }));
        return command;
    }
}

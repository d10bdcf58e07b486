using System.CommandLine;

namespace Mlda.Cli.Commands;

public static class ExportCommand
{
    public static Command Create()
    {
        var command = new Command("export", "export ONNX models (encoder.onnx, depth.onnx, fused mlda.onnx)");
        command.SetAction(_ => CommandRunner.Run(_ =>
        {
            Console.Error.WriteLine("mlda export: not implemented yet");
            return 1;
        }));
        return command;
    }
}

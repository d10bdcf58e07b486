using System.CommandLine;

namespace Mlda.Cli.Commands;

public static class PredictCommand
{
    public static Command Create()
    {
        var command = new Command("predict", "depth for an image, a folder or a video");
        command.SetAction(_ => CommandRunner.Run(_ =>
        {
            Console.Error.WriteLine("mlda predict: not implemented yet");
            return 1;
        }));
        return command;
    }
}

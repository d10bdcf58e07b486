using System.CommandLine;

namespace Mlda.Cli.Commands;

public static class TrainCommand
{
    public static Command Create()
    {
        var command = new Command("train", "self-supervised training (mono, stereo, mono+stereo; depth hints)");
        command.SetAction(_ => CommandRunner.Run(_ =>
        {
            Console.Error.WriteLine("mlda train: not implemented yet");
            return 1;
        }));
        return command;
    }
}

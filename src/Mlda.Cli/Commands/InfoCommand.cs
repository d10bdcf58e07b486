using System.CommandLine;

namespace Mlda.Cli.Commands;

public static class InfoCommand
{
    public static Command Create()
    {
        var command = new Command("info", "parameter counts and multiply-accumulates of each network");
        command.SetAction(_ => CommandRunner.Run(_ =>
        {
            Console.Error.WriteLine("mlda info: not implemented yet");
            return 1;
        }));
        return command;
    }
}

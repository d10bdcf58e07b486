using System.CommandLine;

namespace Mlda.Cli.Commands;

public static class DemoCommand
{
    public static Command Create()
    {
        var command = new Command("demo", "run the whole pipeline on the embedded synthetic default, end to end");
        command.SetAction(_ => CommandRunner.Run(_ =>
        {
            Console.Error.WriteLine("mlda demo: not implemented yet");
            return 1;
        }));
        return command;
    }
}

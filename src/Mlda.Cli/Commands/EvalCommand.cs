using System.CommandLine;

namespace Mlda.Cli.Commands;

public static class EvalCommand
{
    public static Command Create()
    {
        var command = new Command("eval", "Eigen-protocol evaluation of a model or of external disparities");
        command.SetAction(_ => CommandRunner.Run(_ =>
        {
            Console.Error.WriteLine("mlda eval: not implemented yet");
            return 1;
        }));
        return command;
    }
}

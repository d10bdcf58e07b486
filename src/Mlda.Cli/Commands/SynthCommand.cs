using System.CommandLine;

namespace Mlda.Cli.Commands;

public static class SynthCommand
{
    public static Command Create()
    {
        var command = new Command("synth", "render a synthetic drive set in the exact KITTI raw layout");
        command.SetAction(_ => CommandRunner.Run(_ =>
        {
            Console.Error.WriteLine("mlda synth: not implemented yet");
            return 1;
        }));
        return command;
    }
}

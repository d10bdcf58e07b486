using System.CommandLine;

namespace Mlda.Cli.Commands;

public static class HintsCommand
{
    public static Command Create()
    {
        var command = new Command("hints", "precompute depth hints from stereo (fused StereoSGBM)");
        command.SetAction(_ => CommandRunner.Run(_ =>
        {
            Console.Error.WriteLine("mlda hints: not implemented yet");
            return 1;
        }));
        return command;
    }
}

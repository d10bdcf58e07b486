using System.CommandLine;

namespace Mlda.Cli.Commands;

public static class ExportGtCommand
{
    public static Command Create()
    {
        var command = new Command("export-gt", "write the LiDAR ground truth of a split");
        command.SetAction(_ => CommandRunner.Run(_ =>
        {
            Console.Error.WriteLine("mlda export-gt: not implemented yet");
            return 1;
        }));
        return command;
    }
}

using System.CommandLine;

namespace Mlda.Cli.Commands;

public static class BenchCommand
{
    public static Command Create()
    {
        var command = new Command("bench", "latency and throughput benchmarks");
        command.SetAction(_ => CommandRunner.Run(_ =>
        {
            Console.Error.WriteLine("mlda bench: not implemented yet");
            return 1;
        }));
        return command;
    }
}

using System.CommandLine;
using System.Globalization;
using Mlda.Core;
using Mlda.Networks;

namespace Mlda.Cli.Commands;

public static class InfoCommand
{
    public static Command Create()
    {
        var defaults = new ModelOptions();
        var height = SharedOptions.Height(defaults.Height, "input height (a multiple of 32, at least 64)");
        var width = SharedOptions.Width(defaults.Width, "input width (a multiple of 32, at least 64)");
        var poseEncoder = SharedOptions.PoseEncoder(defaults.PoseEncoder);
        var command = new Command("info", "parameter counts and multiply-accumulates of each network");
        command.Options.Add(height);
        command.Options.Add(width);
        command.Options.Add(poseEncoder);
        command.SetAction(pr => CommandRunner.Run(_ =>
        {
            var options = SharedOptions.ValidModelOptions(new ModelOptions(pr.GetValue(height), pr.GetValue(width), SharedOptions.PoseEncoderValue(pr, poseEncoder)));
            var costs = NetworkComplexity.Measure(options);
            var inv = CultureInfo.InvariantCulture;
            Console.WriteLine($"MLDA-Net at {options.Width}x{options.Height}, pose encoder {options.PoseEncoder.ToString().ToLowerInvariant()}, one image (pair)");
            Console.WriteLine($"{"network",-14}{"parameters",14}{"GMACs",10}  what one call computes");
            foreach (var c in costs)
                Console.WriteLine($"{c.Name,-14}{c.Parameters.ToString("N0", inv),14}{(c.MultiplyAccumulates / 1e9).ToString("F3", inv),10}  {c.Note}");
            Console.WriteLine($"{"total",-14}{costs.Sum(c => c.Parameters).ToString("N0", inv),14}{(costs.Sum(c => c.MultiplyAccumulates) / 1e9).ToString("F3", inv),10}");
            var depth = costs.Where(c => c.Name is MldaNetworks.EncoderName or MldaNetworks.DepthName).ToArray();
            Console.WriteLine($"{"inference",-14}{depth.Sum(c => c.Parameters).ToString("N0", inv),14}{(depth.Sum(c => c.MultiplyAccumulates) / 1e9).ToString("F3", inv),10}  encoder + depth");
            Console.WriteLine("Parameters: weights, biases and batch-norm scales and shifts (running statistics not counted). MACs: convolutions and the GA products.");
            return 0;
        }));
        return command;
    }
}

using System.CommandLine;
using Mlda.Checkpoints;

namespace Mlda.Cli.Commands;

/// <summary><c>mlda import-weights</c>: the reference's four .pdparams (or .safetensors) into a model folder of ours.</summary>
public static class ImportWeightsCommand
{
    public static Command Create()
    {
        var from = new Option<string>("--from") { Description = "folder with encoder, depth, pose_encoder, pose .pdparams (Paddle 2.2 paddle.save) or .safetensors with the reference's names", Required = true };
        var output = new Option<string>("--out") { Description = "model folder to write (safetensors + options.json, mode MS); written only when every tensor checks", Required = true };
        var height = new Option<int>("--height") { Description = "input height the weights are used at (multiple of 32)", DefaultValueFactory = _ => 192 };
        var width = new Option<int>("--width") { Description = "input width the weights are used at (multiple of 32)", DefaultValueFactory = _ => 640 };
        var command = new Command("import-weights", "import the authors' weights (the reference's .pdparams) as a model folder for predict, eval, export");
        foreach (var o in new Option[] { from, output, height, width }) command.Options.Add(o);
        command.SetAction(pr => CommandRunner.Run(ct =>
        {
            var result = ReferenceWeights.Import(pr.GetValue(from)!, pr.GetValue(output)!, pr.GetValue(height), pr.GetValue(width));
            foreach (var (network, names) in result.Dropped)
                if (names.Count > 0)
                    Console.WriteLine($"{network}: dropped {names.Count} tensors the reference builds but never calls ({string.Join(", ", names.Select(n => string.Join('.', n.Split('.').Take(2))).Distinct())})");
            Console.WriteLine($"-> Saved the imported model (mode MS) to {result.OutDir}");
            return 0;
        }));
        return command;
    }
}

using System.CommandLine;

namespace Mlda.Cli.Commands;

/// <summary><c>mlda bench train|networks|infer|synth|hints</c>: every speed figure of the README comes from one of these.</summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var command = new Command("bench", "benchmarks: where a training step's time goes, the networks, TorchSharp vs ONNX Runtime inference, the synthetic renderer, depth hints, the HTTP service");
        foreach (var sub in new[] { BenchTrain.Create(), BenchNetworks.Create(), BenchInfer.Create(), BenchSynth.Create(), BenchHints.Create(), BenchServe.Create() })
            command.Subcommands.Add(sub);
        return command;
    }
}

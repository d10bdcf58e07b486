using System.CommandLine;
using Mlda.Core.Evaluation;
using Mlda.Demo;

namespace Mlda.Cli.Commands;

public static class DemoCommand
{
    public const string DefaultConfig = "cpu-synthetic.json";

    public static Command Create()
    {
        var command = new Command("demo",
            "run the whole pipeline on the embedded synthetic default: synth, hints, train, eval, predict, export, infer; " +
            "re-running reuses finished steps (an interrupted training resumes)");
        var outDir = new Option<string>("--out") { Description = "output folder", DefaultValueFactory = _ => "demo-out" };
        var fresh = new Option<bool>("--fresh") { Description = "delete the output folder first and run every step again" };
        var config = new Option<string?>("--config") { Description = $"training configuration (default: configs/{DefaultConfig}, the measured CPU configuration)" };
        var sample = new Option<string?>("--kitti-sample") { Description = "real KITTI raw sample to predict on (default: ../shared/data/kitti_raw_sample when present)" };
        foreach (var o in new Option[] { outDir, fresh, config, sample }) command.Options.Add(o);
        command.SetAction(pr => CommandRunner.Run(ct =>
        {
            var options = new DemoOptions
            {
                OutDir = pr.GetValue(outDir)!,
                Fresh = pr.GetValue(fresh),
                ConfigPath = pr.GetValue(config) ?? Path.Combine(AppContext.BaseDirectory, "configs", DefaultConfig),
                RealSample = pr.GetValue(sample) ?? FindKittiSample(),
            };
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var result = new DemoPipeline(options, new ConsoleProgress(), line => Console.Error.WriteLine(line)).Run(ct);
            PrintSummary(result, clock.Elapsed.TotalSeconds);
            return 0;
        }));
        return command;
    }

    static string? FindKittiSample()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "..", "shared", "data", "kitti_raw_sample");
                if (Directory.Exists(candidate)) return Path.GetFullPath(candidate);
            }
        return null;
    }

    static void PrintSummary(DemoResult r, double seconds)
    {
        Console.WriteLine();
        Console.WriteLine("=== MLDA-Net demo: Eigen evaluation on the held-out synthetic drive (stereo scaling x5.4) ===");
        Console.Write(r.EvaluationTable);
        Console.WriteLine();
        Console.WriteLine($"abs_rel {r.StereoMetrics.AbsRel:F3}, rmse {r.StereoMetrics.Rmse:F3} m, a1 {r.StereoMetrics.A1:F3}; " +
                          $"ONNX Runtime vs TorchSharp, largest |disparity difference| {r.ExportMaxAbsDiff:E2}");
        Console.WriteLine();
        Console.WriteLine($"{"step",-10}{"seconds",10}  note");
        foreach (var s in r.Steps) Console.WriteLine($"{s.Name,-10}{s.Seconds,10:F1}  {(s.Reused ? "reused from an earlier run" : "")}");
        Console.WriteLine($"{"total",-10}{seconds,10:F1}  (this run)");
        Console.WriteLine();
        foreach (var (what, where) in r.Locations) Console.WriteLine($"{what,-50} {where}");
    }
}

using System.CommandLine;
using Mlda.Core.Synthetic;

namespace Mlda.Cli.Commands;

/// <summary>
/// <c>mlda bench synth</c>: seconds per frame of the synthetic renderer (four images and the scan). The bench command
/// adds it as a subcommand: <c>command.Subcommands.Add(BenchSynth.Create())</c>.
/// </summary>
public static class BenchSynth
{
    public static Command Create()
    {
        var command = new Command("synth", "seconds per frame of `mlda synth` (both colour images, both greys, the scan), in memory");
        var width = new Option<int>("--width") { Description = "image width", DefaultValueFactory = _ => SyntheticRig.ReferenceWidth };
        var height = new Option<int>("--height") { Description = "image height", DefaultValueFactory = _ => SyntheticRig.ReferenceHeight };
        var frames = new Option<int>("--frames") { Description = "frames timed (after one warm-up frame)", DefaultValueFactory = _ => 5 };
        var threads = new Option<int?>("--threads") { Description = "worker threads (default: all cores)" };
        foreach (var o in new Option[] { width, height, frames, threads }) command.Options.Add(o);
        command.SetAction(pr => CommandRunner.Run(_ =>
        {
            var r = SyntheticBenchmark.Run(pr.GetValue(width), pr.GetValue(height), pr.GetValue(frames), threads: pr.GetValue(threads),
                                           progress: new ConsoleProgress());
            Console.WriteLine($"synth {r.Width}x{r.Height}, {r.Threads} threads, {r.Frames} frames: " +
                              $"{r.RenderSecondsPerFrame:F3} s/frame rendering (cameras {r.CamerasSeconds / r.Frames:F3}, scan {r.ScanSeconds / r.Frames:F3}), " +
                              $"{r.TotalSecondsPerFrame:F3} s/frame with PNG encoding; {r.CpuSecondsPerFrame:F3} CPU-s/frame; scene build {r.SceneSeconds:F3} s");
            return 0;
        }));
        return command;
    }
}

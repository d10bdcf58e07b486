using System.CommandLine;
using Mlda.Core.Synthetic;

namespace Mlda.Cli.Commands;

/// <summary>
/// <c>mlda bench synth</c>: seconds per frame of the synthetic renderer (four images and the scan).
/// </summary>
public static class BenchSynth
{
    public static Command Create()
    {
        var command = new Command("synth", "seconds per frame of `mlda synth` (both colour images, both greys, the scan), in memory");
        var width = SharedOptions.Width(SyntheticRig.ReferenceWidth, "image width");
        var height = SharedOptions.Height(SyntheticRig.ReferenceHeight, "image height");
        var frames = new Option<int>("--frames") { Description = "frames timed (after one warm-up frame)", DefaultValueFactory = _ => 5 };
        var threads = SharedOptions.Threads("worker threads (0: all cores)");
        foreach (var o in new Option[] { width, height, frames, threads }) command.Options.Add(o);
        command.SetAction(pr => CommandRunner.Run(_ =>
        {
            var r = SyntheticBenchmark.Run(pr.GetValue(width), pr.GetValue(height), pr.GetValue(frames), threads: pr.GetValue(threads) is var t && t != 0 ? t : null,
                                           progress: new ConsoleProgress());
            Console.WriteLine($"synth {r.Width}x{r.Height}, {r.Threads} threads, {r.Frames} frames: " +
                              $"{r.RenderSecondsPerFrame:F3} s/frame rendering (cameras {r.CamerasSeconds / r.Frames:F3}, scan {r.ScanSeconds / r.Frames:F3}), " +
                              $"{r.TotalSecondsPerFrame:F3} s/frame with PNG encoding; {r.CpuSecondsPerFrame:F3} CPU-s/frame; scene build {r.SceneSeconds:F3} s");
            return 0;
        }));
        return command;
    }
}

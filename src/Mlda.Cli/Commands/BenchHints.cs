using System.CommandLine;
using Mlda.Core;
using Mlda.Core.Hints;
using Mlda.Core.Kitti;

namespace Mlda.Cli.Commands;

/// <summary><c>mlda bench hints</c>: images per second of the fused depth hints against one SGBM matcher; writes nothing.</summary>
public static class BenchHints
{
    public static Command Create()
    {
        var defaults = new DepthHintOptions();
        var data = new Option<string>("--data") { Description = "KITTI raw root (or a date or drive folder)", Required = true };
        var split = new Option<string?>("--split-file") { Description = "split file to take the images from (default: every frame with both colour images)" };
        var images = new Option<int>("--images") { Description = "images timed", DefaultValueFactory = _ => 8 };
        var width = SharedOptions.Width(defaults.Width, "hint width (depth-hints' --width)");
        var height = SharedOptions.Height(defaults.Height, "hint height (depth-hints' --height)");
        var threads = SharedOptions.Threads("images processed at once (0: one per core)");
        var command = new Command("hints", "time depth hints (the fused StereoSGBM bank against one matcher) on real images; writes nothing");
        foreach (var o in new Option[] { data, split, images, width, height, threads }) command.Options.Add(o);
        command.SetAction(pr => CommandRunner.Run(ct =>
        {
            var dataRoot = pr.GetValue(data)!;
            if (!Directory.Exists(dataRoot)) throw new InputException(dataRoot, "data folder not found");
            var items = pr.GetValue(split) is { } splitPath ? DepthHintItem.FromSplit(SplitFile.Read(splitPath)) : DepthHintItem.AllFrames(dataRoot);
            var sample = items.Take(Math.Max(1, pr.GetValue(images))).ToList();
            if (sample.Count == 0) throw new InputException(dataRoot, "no stereo pairs found");
            int threadCount = pr.GetValue(threads) > 0 ? pr.GetValue(threads) : Environment.ProcessorCount;
            var options = defaults with { Width = pr.GetValue(width), Height = pr.GetValue(height) };
            Console.Error.WriteLine($"timing {sample.Count} images with {threadCount} threads...");
            Console.WriteLine(DepthHintBenchmark.Run(dataRoot, sample, options, threads: threadCount, cancellationToken: ct));
            return 0;
        }));
        return command;
    }
}

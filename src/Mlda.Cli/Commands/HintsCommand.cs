using System.CommandLine;
using Mlda.Core;
using Mlda.Core.Hints;
using Mlda.Core.Kitti;

namespace Mlda.Cli.Commands;

public static class HintsCommand
{
    public static Command Create()
    {
        var command = new Command("hints", "precompute depth hints from stereo (fused StereoSGBM), as depth-hints' precompute_depth_hints.py");
        var data = new Option<string>("--data") { Description = "KITTI raw root (<date>/<drive>/image_02|image_03/data/*.png|jpg); a single date or drive folder works too", Required = true };
        var split = new Option<string?>("--split-file") { Description = "monodepth2 split file (<folder> <frame> <l|r> per line); default: both sides of every frame with both colour images" };
        var output = new Option<string?>("--out") { Description = "output root; default <data>/depth_hints. Files: <out>/<folder>/image_02|image_03/<frame:010d>.npy, float32 (1, 320, 1024)" };
        var defaults = new DepthHintOptions();
        var width = SharedOptions.Width(defaults.Width, "hint width (depth-hints' --width); fx = 0.58 x width");
        var height = SharedOptions.Height(defaults.Height, "hint height (depth-hints' --height)");
        var jobs = new Option<int>("--jobs") { Description = "images processed at once", DefaultValueFactory = _ => Environment.ProcessorCount };
        var overwrite = new Option<bool>("--overwrite") { Description = "recompute hints that already exist (default: skip them, so a stopped run resumes)" };
        var referenceInvalid = new Option<bool>("--reference-invalid") { Description = "let candidates without a disparity compete in the fusion as depth-hints' code does (default: they never win)" };
        var named = SplitOption.Create("every list of it (train, val, test), each image once");
        var shard = new Option<string?>("--shard") { Description = "make only part I of N (I/N, 0-based; e.g. a Kubernetes Indexed Job's JOB_COMPLETION_INDEX): the N parts are disjoint and together the whole list" };
        foreach (var o in new Option[] { data, split, named, output, width, height, jobs, overwrite, referenceInvalid, shard }) command.Options.Add(o);

        command.SetAction(pr => CommandRunner.Run(ct =>
        {
            var dataRoot = pr.GetValue(data)!;
            if (!Directory.Exists(dataRoot)) throw new InputException(dataRoot, "data folder not found");
            var outRoot = pr.GetValue(output) ?? Path.Combine(dataRoot, "depth_hints");
            var splitPath = pr.GetValue(split);
            var splitName = pr.GetValue(named);
            if (splitName is not null && splitPath is not null) throw new InputException(splitPath, "give --split-file or --split, not both");
            var items = splitName is not null ? DepthHintItem.FromSplits(ShippedSplits.Files(splitName).Select(SplitFile.Read))
                : splitPath is null ? DepthHintItem.AllFrames(dataRoot, skipDir: outRoot) : DepthHintItem.FromSplit(SplitFile.Read(splitPath));
            if (items.Count == 0) throw new InputException(splitPath ?? splitName ?? dataRoot, "no images to make hints for");
            // An empty part of a short list is not an error: its pod of an Indexed Job simply has nothing to do.
            var part = pr.GetValue(shard) is { } sh ? DepthHintShard.Parse(sh) : DepthHintShard.All;
            items = part.Select(items);
            int w = pr.GetValue(width), h = pr.GetValue(height);
            if (w < 16 || h < 16 || w > 8192 || h > 8192) throw new InputException(null, $"hint size {w}x{h} is outside 16..8192");
            var options = defaults with
            {
                Width = w,
                Height = h,
                InvalidCandidates = pr.GetValue(referenceInvalid) ? InvalidCandidatePolicy.CompeteAsReference : InvalidCandidatePolicy.NeverWin,
            };
            int parallelImages = Math.Max(1, pr.GetValue(jobs));

            Console.Error.WriteLine($"{items.Count} hints{(part.Count > 1 ? $" (shard {part})" : "")} -> {outRoot} ({options.Width}x{options.Height}, {options.Matchers.Count} SGBM matchers, {parallelImages} images at once)");
            var job = new DepthHintJob(dataRoot, outRoot, items)
            {
                Options = options,
                MaxParallelImages = parallelImages,
                Overwrite = pr.GetValue(overwrite),
                StopAtFirstError = true,
            };
            var run = job.Run(new ConsoleProgress(), ct);
            Console.WriteLine($"{run.Written} written, {run.Skipped} already there in {ConsoleProgress.Format(run.Elapsed.TotalSeconds)}");
            return 0;
        }));
        return command;
    }
}

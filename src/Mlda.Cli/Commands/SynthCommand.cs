using System.CommandLine;
using Mlda.Core.Synthetic;

namespace Mlda.Cli.Commands;

public static class SynthCommand
{
    public static Command Create()
    {
        var defaults = new SyntheticDatasetOptions();
        var command = new Command("synth",
            "render a synthetic drive set in the exact KITTI raw layout (stereo, grey and colour cameras, Velodyne, oxts, " +
            "calibration, timestamps), the exact depth of image_02 in <drive>/synthetic_depth/image_02/*.npy (not a KITTI " +
            "folder; camera z in metres, 0 = sky), and splits/{train,val,test}_files.txt; resumes an interrupted run");
        var outDir = new Option<string>("--out") { Description = "output data root", Required = true };
        var drives = new Option<int>("--drives") { Description = "number of drives; the last one only feeds test_files.txt", DefaultValueFactory = _ => defaults.Drives };
        var frames = new Option<int>("--frames") { Description = "frames per drive (10 Hz)", DefaultValueFactory = _ => defaults.Frames };
        var seed = new Option<int>("--seed") { Description = "scene and trajectory seed (same arguments and seed give identical bytes)", DefaultValueFactory = _ => defaults.Seed };
        var width = SharedOptions.Width(defaults.Width, "image width; intrinsics scale with it (fx = 721.5377 at 1242)");
        var height = SharedOptions.Height(defaults.Height, "image height");
        var date = new Option<string>("--date") { Description = "date folder name (yyyy_MM_dd)", DefaultValueFactory = _ => defaults.Date };
        var threads = SharedOptions.Threads("worker threads (0: all cores)", defaults.Threads ?? 0);
        var focal = new Option<double?>("--focal") { Description = "focal length in pixels (default KITTI's, 721.5377 x width/1242): another camera" };
        foreach (var o in new Option[] { outDir, drives, frames, seed, width, height, date, threads, focal }) command.Options.Add(o);
        command.SetAction(pr => CommandRunner.Run(ct =>
        {
            var options = new SyntheticDatasetOptions(pr.GetValue(drives), pr.GetValue(frames), pr.GetValue(seed),
                pr.GetValue(width), pr.GetValue(height), pr.GetValue(date)!, pr.GetValue(threads) is var t && t != 0 ? t : null, pr.GetValue(focal));
            var root = pr.GetValue(outDir)!;
            var summary = SyntheticDataset.Generate(root, options, new ConsoleProgress(), ct);
            Console.WriteLine($"{root}: {summary.FramesRendered} frames rendered, {summary.FramesSkipped} already there");
            if (summary.FramesRendered > 0)
                Console.WriteLine($"{summary.SecondsPerFrame:F3} s per frame ({summary.RenderSeconds / summary.FramesRendered:F3} rendering, " +
                                  $"{summary.WriteSeconds / summary.FramesRendered:F3} writing) at {options.Width}x{options.Height} on {Environment.ProcessorCount} cores");
            return 0;
        }));
        return command;
    }
}

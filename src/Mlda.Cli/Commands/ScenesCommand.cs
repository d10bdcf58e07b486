using System.CommandLine;
using Mlda.Core.Scenes;

namespace Mlda.Cli.Commands;

/// <summary><c>mlda scenes</c>: scene folders from other layouts (<c>from-kitti</c>: KITTI raw drives, real or synthetic).</summary>
public static class ScenesCommand
{
    public static Command Create()
    {
        var defaults = new KittiToScenesOptions();
        var data = new Option<string>("--data") { Description = "KITTI raw root (real, or `mlda synth` output)", Required = true };
        var outDir = new Option<string>("--out") { Description = "the scene folder root to write", Required = true };
        var depth = new Option<string>("--depth") { Description = "ground-truth format: npy (float32 metres) or png (uint16, depth x 256)", DefaultValueFactory = _ => "npy" };
        depth.AcceptOnlyFromAmong("npy", "png");
        var camera = new Option<int>("--camera") { Description = "KITTI camera (2 = left colour)", DefaultValueFactory = _ => defaults.Camera };
        var test = new Option<int>("--test-drives") { Description = "the last N drives (by name) go to test.txt", DefaultValueFactory = _ => defaults.TestDrives };
        var val = new Option<int>("--val-drives") { Description = "the N drives before them go to val.txt", DefaultValueFactory = _ => defaults.ValDrives };
        var quality = new Option<int>("--quality") { Description = "JPEG quality of the frames", DefaultValueFactory = _ => defaults.JpegQuality };
        var fromKitti = new Command("from-kitti",
            "one scene per KITTI drive: JPEG frames, cam.txt from P_rect, ground truth from the synthetic depth or the LiDAR scans; train/val/test.txt by drive");
        foreach (var o in new Option[] { data, outDir, depth, camera, test, val, quality }) fromKitti.Options.Add(o);
        fromKitti.SetAction(pr => CommandRunner.Run(ct =>
        {
            var options = new KittiToScenesOptions(pr.GetValue(depth) == "png" ? SceneDepthFormat.Png : SceneDepthFormat.Npy,
                pr.GetValue(camera), pr.GetValue(test), pr.GetValue(val), pr.GetValue(quality));
            var root = pr.GetValue(outDir)!;
            var s = KittiToScenes.Convert(pr.GetValue(data)!, root, options, new ConsoleProgress(), ct);
            if (s.Note is not null) Console.Error.WriteLine("note: " + s.Note);
            Console.WriteLine($"{root}: {s.Frames} frames, {s.DepthMaps} depth maps; train {string.Join(" ", s.Train)}; val {string.Join(" ", s.Val)}; test {string.Join(" ", s.Test)}");
            return 0;
        }));
        var command = new Command("scenes", "scene folders (ROOT/<scene>/frames + cam.txt + depth/) from other layouts");
        command.Subcommands.Add(fromKitti);
        return command;
    }
}

using System.CommandLine;
using Mlda.Core.Kitti;

namespace Mlda.Cli.Commands;

/// <summary><c>mlda export-gt</c>: the LiDAR ground truth of a split, as monodepth2's export_gt_depth.py.</summary>
public static class ExportGtCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "KITTI raw data root (holds <date>/<date>_drive_XXXX_sync)", Required = true };
        var split = new Option<string?>("--split-file") { Description = "monodepth2 split file, e.g. splits/eigen/test_files.txt" };
        var named = SplitOption.Create("its test_files.txt (else val_files.txt)");
        var output = new Option<string>("--out") { Description = "output .npz: float32 (N,H,W) under \"data\" (one key per map when sizes differ)", Required = true };
        var command = new Command("export-gt", "write the LiDAR ground truth of a split (camera 2, Velodyne-forward depth, native size)");
        command.Options.Add(data);
        command.Options.Add(split);
        command.Options.Add(named);
        command.Options.Add(output);
        command.SetAction(pr => CommandRunner.Run(ct =>
        {
            var splitPath = SplitOption.FileOf(pr.GetValue(split), pr.GetValue(named), "test", "val");
            var entries = SplitFile.Read(splitPath);
            var maps = GroundTruthSet.Generate(pr.GetValue(data)!, entries, splitPath, new ConsoleProgress(), ct);
            var outPath = pr.GetValue(output)!;
            GroundTruthSet.Write(outPath, maps);
            Console.WriteLine($"-> Saved {maps.Count} ground-truth maps to {outPath}");
            return 0;
        }));
        return command;
    }
}

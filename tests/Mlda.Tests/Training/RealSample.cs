using Mlda.Core.Hints;
using Mlda.Core.Kitti;

namespace Mlda.Tests.Training;

/// <summary>
/// The real KITTI sample (frames 0-9 of 2011_09_26_drive_0002) read in place, with split files and depth hints made
/// once per test run in a temporary folder. The hints are real fused-SGBM hints, made at a reduced size with one
/// matcher so that the suite stays fast (the loader nearest-resizes them to the network size anyway).
/// </summary>
public static class RealSample
{
    public static string Data => SharedData.KittiRawSample;
    public const string Folder = SharedData.Date + "/" + SharedData.Drive;

    static readonly Lazy<string> Root = new(Create);

    /// <summary>Split folder: train = frames 0-9 both sides; val = frames 3 and 6 left.</summary>
    public static string SplitDir => Path.Combine(Root.Value, "split");
    public static string HintDir => Path.Combine(Root.Value, "hints");

    public static IReadOnlyList<SplitEntry> Train => SplitFile.Read(Path.Combine(SplitDir, "train_files.txt"));

    static string Create()
    {
        var root = StaleTestFolders.NewPath(Path.GetTempPath(), "realsample");
        Directory.CreateDirectory(Path.Combine(root, "split"));
        var train = Enumerable.Range(0, 10).SelectMany(f => new[] { $"{Folder} {f} l", $"{Folder} {f} r" });
        File.WriteAllLines(Path.Combine(root, "split", "train_files.txt"), train);
        File.WriteAllLines(Path.Combine(root, "split", "val_files.txt"), [$"{Folder} 3 l", $"{Folder} 6 l"]);
        var items = Enumerable.Range(0, 10).SelectMany(f => new[] { new DepthHintItem(Folder, f, StereoSide.Left), new DepthHintItem(Folder, f, StereoSide.Right) }).ToList();
        var job = new DepthHintJob(Data, Path.Combine(root, "hints"), items)
        {
            Options = new DepthHintOptions { Width = 512, Height = 160, Matchers = [SgbmSettings.DepthHintsBank[0]] },
        };
        var result = job.Run();
        if (!result.Succeeded) throw new InvalidOperationException("hints for the real sample failed: " + result.Failures[0].Message);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => { try { Directory.Delete(root, true); } catch (IOException) { } };
        return root;
    }
}

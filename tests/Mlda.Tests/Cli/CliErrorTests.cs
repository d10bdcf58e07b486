using Mlda.Core.IO;
using Mlda.Tests.Evaluation;
using Xunit.Abstractions;

namespace Mlda.Tests.Cli;

/// <summary>
/// Errors a user can cause, through the real program: one line naming the file, exit code 2, no stack trace, nothing
/// half-written (no file under the final name, no temporary left).
/// </summary>
public class CliErrorTests(ITestOutputHelper output)
{
    static string Data => SharedData.KittiRawSample;

    static string[] ExportGt(string split, string outPath, string? data = null) =>
        ["export-gt", "--data", data ?? Data, "--split-file", split, "--out", outPath];

    [Fact]
    public void Outputs_that_cannot_be_written_are_one_line_errors()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["split.txt"], ReferenceData.SplitText);
        File.WriteAllText(dir["a-file"], "x");

        // the output folder is under a file: it cannot be created
        MldaProcess.AssertBadInput(MldaProcess.Run(ExportGt(dir["split.txt"], Path.Combine(dir["a-file"], "gt.npz"))), "a-file", "cannot write");
        // the output path is an existing folder
        Directory.CreateDirectory(dir["gt-folder.npz"]);
        MldaProcess.AssertBadInput(MldaProcess.Run(ExportGt(dir["split.txt"], dir["gt-folder.npz"])), "gt-folder.npz", "existing folder");
        // eval --json onto a folder, after the evaluation
        Npy.Write(dir["disps.npy"], ReferenceData.Disparities());
        MldaProcess.AssertBadInput(MldaProcess.Run("eval", "--data", Data, "--split-file", dir["split.txt"], "--disps", dir["disps.npy"],
            "--eval-mode", "mono", "--json", dir["gt-folder.npz"]), "gt-folder.npz");
        // synth into a file
        MldaProcess.AssertBadInput(MldaProcess.Run("synth", "--out", dir["a-file"], "--drives", "2", "--frames", "3", "--width", "160", "--height", "48"), "a-file");
        Assert.Equal("x", File.ReadAllText(dir["a-file"]));
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp*", SearchOption.AllDirectories));

        using var readOnly = ScratchDisk.TryMount(64, readOnly: true);
        if (readOnly is null) { output.WriteLine("read-only file system part skipped: mount not permitted"); return; }
        var line = MldaProcess.AssertBadInput(MldaProcess.Run(ExportGt(dir["split.txt"], readOnly["gt.npz"])), "gt.npz", "cannot write");
        output.WriteLine(line);
        Assert.Empty(Directory.EnumerateFileSystemEntries(readOnly.Path));
    }

    [Fact]
    public void A_full_disk_is_a_one_line_error_and_leaves_no_partial_file()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["split.txt"], ReferenceData.SplitText);
        using var disk = ScratchDisk.TryMount(8);
        if (disk is null) { output.WriteLine("skipped: mount not permitted"); return; }

        var line = MldaProcess.AssertBadInput(MldaProcess.Run(ExportGt(dir["split.txt"], disk["gt.npz"])), "gt.npz", "disk full");
        output.WriteLine(line);
        Assert.Empty(Directory.EnumerateFileSystemEntries(disk.Path)); // neither gt.npz nor its temporary

        // many files from parallel workers: the first that does not fit ends the run, as one line
        line = MldaProcess.AssertBadInput(MldaProcess.Run("synth", "--out", disk["syn"], "--drives", "2", "--frames", "3", "--width", "160", "--height", "48"), "disk full");
        output.WriteLine(line);
        Assert.Empty(Directory.GetFiles(disk.Path, "*.tmp*", SearchOption.AllDirectories));
    }

    [Fact]
    public void Bad_ground_truth_inputs_are_one_line_errors()
    {
        using var dir = new TempDir();
        var root = dir["kitti"];
        var date = Path.Combine(root, SharedData.Date);
        var velo = Path.Combine(date, SharedData.Drive, "velodyne_points", "data");
        Directory.CreateDirectory(velo);
        foreach (var f in new[] { "calib_cam_to_cam.txt", "calib_velo_to_cam.txt" }) File.Copy(Path.Combine(Data, SharedData.Date, f), Path.Combine(date, f));
        File.Copy(Path.Combine(Data, SharedData.Date, SharedData.Drive, "velodyne_points", "data", "0000000000.bin"), Path.Combine(velo, "0000000000.bin"));
        File.WriteAllBytes(Path.Combine(velo, "0000000001.bin"), []);

        // a 0-byte scan: not an all-zero ground truth with a table of nan
        File.WriteAllText(dir["empty.txt"], $"{ReferenceData.Folder} 0 l\n{ReferenceData.Folder} 1 l\n");
        MldaProcess.AssertBadInput(MldaProcess.Run(ExportGt(dir["empty.txt"], dir["gt.npz"], root)), "0000000001.bin", "empty");
        Npy.Write(dir["d2.npy"], ReferenceData.Disparities(2, 6, 8));
        MldaProcess.AssertBadInput(MldaProcess.Run("eval", "--data", root, "--split-file", dir["empty.txt"], "--disps", dir["d2.npy"], "--eval-mode", "mono"),
            "0000000001.bin", "empty");

        // a line of fewer than three fields: export_gt_depth.py needs folder, frame and side
        File.WriteAllText(dir["short.txt"], $"{ReferenceData.Folder} 0 l\n{ReferenceData.Folder} 0\n");
        MldaProcess.AssertBadInput(MldaProcess.Run(ExportGt(dir["short.txt"], dir["gt.npz"], root)), "short.txt:2:", "three fields");
        Assert.False(File.Exists(dir["gt.npz"]));

        // ground truth whose zip member fails its CRC-32
        File.WriteAllText(dir["one.txt"], $"{ReferenceData.Folder} 0 l\n");
        Assert.Equal(0, MldaProcess.Run(ExportGt(dir["one.txt"], dir["gt.npz"], root)).ExitCode);
        var gt = Npz.Read(dir["gt.npz"], "data");
        Npz.Write(dir["stored.npz"], "data", gt, compressed: false);
        var bytes = File.ReadAllBytes(dir["stored.npz"]);
        bytes[bytes.Length / 2] ^= 0x40; // inside the stored member's data
        File.WriteAllBytes(dir["bad-crc.npz"], bytes);
        Npy.Write(dir["d1.npy"], ReferenceData.Disparities(1, 6, 8));
        MldaProcess.AssertBadInput(MldaProcess.Run("eval", "--data", root, "--split-file", dir["one.txt"], "--disps", dir["d1.npy"], "--eval-mode", "mono",
            "--gt", dir["bad-crc.npz"]), "bad-crc.npz", "CRC-32");
    }

    [Fact]
    public void Hints_stop_early_with_one_clear_error()
    {
        using var dir = new TempDir();
        var drive = Path.Combine(dir["kitti"], SharedData.Date, SharedData.Drive);
        var sample = Path.Combine(Data, SharedData.Date, SharedData.Drive);
        foreach (var camera in new[] { "image_02", "image_03" })
        {
            Directory.CreateDirectory(Path.Combine(drive, camera, "data"));
            for (int frame = 0; frame < 3; frame++)
            {
                var name = $"{frame:D10}.png";
                File.Copy(Path.Combine(sample, camera, "data", name), Path.Combine(drive, camera, "data", name));
            }
        }
        string[] Hints(params string[] more) => ["hints", "--data", dir["kitti"], "--jobs", "1", .. more];

        // an output folder that is a file: before any image is processed
        File.WriteAllText(dir["a-file"], "x");
        MldaProcess.AssertBadInput(MldaProcess.Run(Hints("--out", dir["a-file"])), "a-file");

        // a truncated JPEG: libjpeg decodes it with only a warning; it must be rejected, by name
        var jpeg = Path.Combine(drive, "image_03", "data", "0000000001.jpg");
        using (var image = OpenCvSharp.Cv2.ImRead(Path.Combine(drive, "image_03", "data", "0000000001.png")))
            OpenCvSharp.Cv2.ImWrite(jpeg, image);
        File.Delete(Path.Combine(drive, "image_03", "data", "0000000001.png"));
        var full = File.ReadAllBytes(jpeg);
        File.WriteAllBytes(jpeg, full[..(full.Length * 2 / 3)]);
        var o = MldaProcess.Run(Hints("--out", dir["hints"]));
        MldaProcess.AssertBadInput(o, "0000000001.jpg", "truncated JPEG");
        Assert.DoesNotContain("failed:", o.Stderr);

        // a stereo pair of different sizes: found before the first hint is made
        File.WriteAllBytes(jpeg, full);
        using (var image = OpenCvSharp.Cv2.ImRead(Path.Combine(drive, "image_03", "data", "0000000000.png")))
        using (var small = image.Resize(new OpenCvSharp.Size(image.Width / 2, image.Height / 2)))
            OpenCvSharp.Cv2.ImWrite(Path.Combine(drive, "image_03", "data", "0000000000.png"), small);
        MldaProcess.AssertBadInput(MldaProcess.Run(Hints("--out", dir["hints2"])), "0000000000.png", "sizes differ");
        Assert.Empty(Directory.EnumerateFiles(dir["hints2"], "*.npy", SearchOption.AllDirectories));
    }

    [Fact]
    public void A_device_without_cuda_and_a_mistyped_command_line_are_one_line_errors()
    {
        using var dir = new TempDir();
        MldaProcess.AssertBadInput(MldaProcess.Run("train", "--log-dir", dir.Path, "--device", "cuda"), "CUDA is not available");
        MldaProcess.AssertBadInput(MldaProcess.Run("info", "--hieght", "64"), "--hieght", "mlda info --help");
        MldaProcess.AssertBadInput(MldaProcess.Run("bench"), "mlda bench --help");
    }

    [Fact]
    public void Help_names_the_program_mlda_and_shows_the_defaults()
    {
        var o = MldaProcess.Run("--help");
        Assert.Equal(0, o.ExitCode);
        Assert.Contains("mlda [command] [options]", o.Stdout);
        Assert.DoesNotContain("Mlda.Cli", o.Stdout);

        o = MldaProcess.Run("train", "--help");
        Assert.Contains("mlda train [options]", o.Stdout);
        var training = new Mlda.Training.TrainOptions();
        foreach (var (option, value) in new[] { ("--height", training.Height), ("--width", training.Width), ("--batch-size", training.BatchSize), ("--epochs", training.Epochs) })
            Assert.Matches($@"{option}\b[^\n]*\[default: {value}\]", o.Stdout);
        Assert.Matches(@"--pose-encoder <light\|mlda>[^\n]*\[default: mlda\]", o.Stdout);
        Assert.Matches(@"--device <device>[^\n]*\[default: cpu\]", o.Stdout);

        o = MldaProcess.Run("bench", "--help");
        foreach (var sub in new[] { "train", "networks", "infer", "synth", "hints" }) Assert.Matches($@"\n  {sub} ", o.Stdout);
        Assert.Contains("mlda bench [command] [options]", o.Stdout);
    }
}

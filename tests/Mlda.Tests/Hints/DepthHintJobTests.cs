using Mlda.Core;
using Mlda.Core.Hints;
using Mlda.Core.Imaging;
using Mlda.Core.IO;
using Mlda.Core.Kitti;
using Xunit.Abstractions;

namespace Mlda.Tests.Hints;

public class DepthHintJobTests(ITestOutputHelper output)
{
    const string Folder = SharedData.Date + "/" + SharedData.Drive;

    /// <summary>
    /// One real KITTI frame, both sides, through the whole job: the files have depth-hints' format and units,
    /// cover most pixels, agree with the LiDAR; a second run resumes (skips both) and a missing frame is reported
    /// by name while the others are written.
    /// </summary>
    [Fact]
    public void Real_sample_frame_gives_depth_hints_files_that_agree_with_the_lidar()
    {
        using var dir = new TempDir();
        var items = new List<DepthHintItem>
        {
            new(Folder, 0, StereoSide.Left),
            new(Folder, 0, StereoSide.Right),
            new(Folder, 99, StereoSide.Left), // not in the sample
        };
        var updates = new List<ProgressUpdate>();
        var result = new DepthHintJob(SharedData.KittiRawSample, dir.Path, items).Run(new SyncProgress(updates));
        Assert.Equal(2, result.Written);
        var failure = Assert.Single(result.Failures);
        Assert.Equal("0000000099", failure.Item.Frame);
        Assert.Contains("0000000099", failure.Message);
        Assert.Equal(3, updates[^1].Done);

        var calib = CameraCalibration.Load(Path.Combine(SharedData.KittiRawSample, SharedData.Date));
        var points = VelodyneScan.Read(KittiRawLayout.VelodynePath(SharedData.KittiRawSample, Folder, 0));
        foreach (var item in items.Take(2))
        {
            var path = Path.Combine(dir.Path, Folder, item.Side == StereoSide.Left ? "image_02" : "image_03", "0000000000.npy");
            var npy = Npy.Read(path);
            Assert.Equal("<f4", npy.Dtype);
            Assert.Equal([1, 320, 1024], npy.Shape);
            var hint = DepthHintFile.Read(path);
            var values = hint.Values.Where(v => v > 0).Order().ToArray();
            double coverage = values.Length / (double)hint.Values.Length;
            // Stereo units: metres / ~5.4. A road scene's median lies between ~5 m and ~40 m.
            float median = values[values.Length / 2];
            var (lidarCoverage, bad) = CompareWithLidar(hint, LidarGroundTruth.Generate(calib, points, item.Side.Camera()), calib, item.Side.Camera());
            output.WriteLine($"{item}: coverage {coverage:P1}, median {median:F2} ({median * 5.4:F1} m), LiDAR pixels covered {lidarCoverage:P1}, bad {bad:P1}");
            // Measured on frame 0: coverage 90.3% (left) / 90.0% (right), LiDAR pixels covered 95.4% / 95.2%, bad 6.2% / 6.8%.
            Assert.True(coverage > 0.85, $"coverage {coverage:P1}");
            Assert.InRange(median * 5.4, 5, 40);
            Assert.True(lidarCoverage > 0.90, $"LiDAR pixels covered {lidarCoverage:P1}");
            Assert.True(bad < 0.08, $"bad {bad:P1}");
        }
        Assert.Empty(Directory.EnumerateFiles(dir.Path, "*.tmp*", SearchOption.AllDirectories));

        var again = new DepthHintJob(SharedData.KittiRawSample, dir.Path, items.Take(2).ToList()).Run();
        Assert.Equal((0, 2, 0), (again.Written, again.Skipped, again.Failures.Count));
    }

    /// <summary>
    /// KITTI-stereo-style scoring against a sparse depth map: the hint (1024 wide) is read at each GT pixel's
    /// nearest hint pixel and compared as disparity at the native width; bad = off by more than 3 px and 5%.
    /// </summary>
    static (double Coverage, double Bad) CompareWithLidar(FloatMap hint, FloatMap gtDepth, CameraCalibration calib, int camera)
    {
        double fx = calib.RectifiedProjections[camera][0, 0];
        double baseline = (calib.RectifiedProjections[2][0, 3] - calib.RectifiedProjections[3][0, 3]) / fx;
        int w = gtDepth.Width, h = gtDepth.Height, total = 0, covered = 0, bad = 0;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                float z = gtDepth[y, x];
                if (!(z > 0)) continue;
                total++;
                int hx = Math.Clamp((int)Math.Round((x + 0.5) * hint.Width / w - 0.5), 0, hint.Width - 1);
                int hy = Math.Clamp((int)Math.Round((y + 0.5) * hint.Height / h - 0.5), 0, hint.Height - 1);
                float v = hint[hy, hx];
                if (!(v > 0)) continue;
                covered++;
                double disparity = 0.58 * 1024 * 0.1 / v * w / hint.Width;
                double truth = fx * baseline / z;
                double error = Math.Abs(disparity - truth);
                if (error > 3 && error > 0.05 * truth) bad++;
            }
        return (covered / (double)total, bad / (double)total);
    }

    [Fact]
    public void All_frames_lists_both_sides_of_frames_with_both_colour_images()
    {
        using var dir = new TempDir();
        var drive = Path.Combine(dir.Path, "2011_01_01", "2011_01_01_drive_0001_sync");
        foreach (var (cam, frames) in new[] { (2, new[] { 0, 1, 2 }), (3, new[] { 1, 2, 3 }) })
        {
            Directory.CreateDirectory(Path.Combine(drive, $"image_0{cam}", "data"));
            foreach (var f in frames) File.WriteAllBytes(Path.Combine(drive, $"image_0{cam}", "data", $"{f:D10}{(f == 2 ? ".jpg" : ".png")}"), []);
        }
        File.WriteAllBytes(Path.Combine(drive, "image_02", "data", "notes.png"), []);
        // An output folder inside the data root is not mistaken for data.
        Directory.CreateDirectory(Path.Combine(dir.Path, "depth_hints", "image_02", "data"));
        Directory.CreateDirectory(Path.Combine(dir.Path, "depth_hints", "image_03", "data"));
        var items = DepthHintItem.AllFrames(dir.Path, skipDir: Path.Combine(dir.Path, "depth_hints"));
        const string folder = "2011_01_01/2011_01_01_drive_0001_sync";
        Assert.Equal(
            [new(folder, 1, StereoSide.Left), new(folder, 1, StereoSide.Right), new(folder, 2, StereoSide.Left), new(folder, 2, StereoSide.Right)],
            items);
        Assert.Equal(Path.Combine("out", folder, "image_03", "0000000002.npy"), items[3].OutputPath("out"));

        // A drive folder given directly works too.
        var direct = DepthHintItem.AllFrames(drive);
        Assert.Equal(4, direct.Count);
        Assert.Equal("", direct[0].Folder);

        Assert.Throws<InputException>(() => DepthHintItem.AllFrames(Path.Combine(dir.Path, "depth_hints")));
    }

    [Fact]
    public void All_frames_finds_kitti_stereo_benchmark_folders()
    {
        using var dir = new TempDir();
        foreach (var cam in new[] { "image_2", "image_3" })
        {
            Directory.CreateDirectory(Path.Combine(dir.Path, "training", cam));
            foreach (var name in new[] { "000000_10", "000000_11", "000001_10" })
                File.WriteAllBytes(Path.Combine(dir.Path, "training", cam, name + ".png"), []);
        }
        Directory.CreateDirectory(Path.Combine(dir.Path, "training", "disp_occ_0"));
        var items = DepthHintItem.AllFrames(dir.Path);
        Assert.Equal(6, items.Count);
        Assert.Equal(new DepthHintItem("training", "000000_10", StereoSide.Left, StereoFolderLayout.KittiStereo), items[0]);
        Assert.Equal(Path.Combine(dir.Path, "training", "image_3", "000000_10.png"), items[0].OtherImagePath(dir.Path));
        Assert.Equal(Path.Combine("out", "training", "image_3", "000001_10.npy"), items[5].OutputPath("out"));
    }

    [Fact]
    public void Split_lines_map_to_sides()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["split.txt"], "a/b 3 l\na/b 0000000004 r\na/b 5 2\n");
        var items = DepthHintItem.FromSplit(SplitFile.Read(dir["split.txt"]));
        Assert.Equal([new("a/b", 3, StereoSide.Left), new("a/b", 4, StereoSide.Right), new("a/b", 5, StereoSide.Left)], items);
    }

    [Fact]
    public void Hint_file_round_trips_and_rejects_other_shapes()
    {
        using var dir = new TempDir();
        var map = new FloatMap(3, 4, [.. Enumerable.Range(0, 12).Select(i => i * 0.5f)]);
        DepthHintFile.Write(dir["h.npy"], map);
        Assert.Equal([1, 3, 4], Npy.Read(dir["h.npy"]).Shape);
        Assert.Equal(map.Values, DepthHintFile.Read(dir["h.npy"]).Values);
        Npy.Write(dir["bad.npy"], map.Values, 3, 4);
        Assert.Contains("bad.npy", Assert.Throws<InputException>(() => DepthHintFile.Read(dir["bad.npy"])).Message);
    }

    [Fact]
    public void Hint_reads_for_training_as_the_reference_loader()
    {
        using var dir = new TempDir();
        var map = new FloatMap(320, 1024);
        for (int y = 0; y < 320; y++)
            for (int x = 0; x < 1024; x++)
                map[y, x] = y * 1024 + x;
        DepthHintFile.Write(dir["h.npy"], map);
        foreach (var flip in new[] { false, true })
        {
            var r = DepthHintFile.ReadForTraining(dir["h.npy"], 640, 192, flip);
            Assert.Equal((192, 640), (r.Height, r.Width));
            for (int y = 0; y < 192; y += 7)
                for (int x = 0; x < 640; x += 5)
                {
                    // OpenCV INTER_NEAREST: source index floor(dst · src/dst), applied after the flip.
                    int sy = (int)Math.Floor(y * 320 / 192.0), sx = (int)Math.Floor(x * 1024 / 640.0);
                    Assert.Equal(map[sy, flip ? 1023 - sx : sx], r[y, x]);
                }
        }
        Assert.Equal(map.Values, DepthHintFile.ReadForTraining(dir["h.npy"], 1024, 320, false).Values);
    }

    /// <summary>Progress recorded synchronously (Progress&lt;T&gt; would post to the thread pool).</summary>
    sealed class SyncProgress(List<ProgressUpdate> updates) : IProgress<ProgressUpdate>
    {
        public void Report(ProgressUpdate value)
        {
            lock (updates) updates.Add(value);
        }
    }
}

using System.Text.RegularExpressions;
using Mlda.Core;
using Mlda.Core.IO;
using Mlda.Core.Kitti;
using Mlda.Core.Synthetic;
using OpenCvSharp;

namespace Mlda.Tests.Synthetic;

/// <summary>The synthetic drives are in the exact KITTI raw layout, file formats checked against the real sample.</summary>
public sealed class SyntheticLayoutTests(SyntheticDataFixture data) : IClassFixture<SyntheticDataFixture>
{
    static readonly SyntheticDatasetOptions O = SyntheticDataFixture.Options;
    static string RealDate => Path.Combine(SharedData.KittiRawSample, SharedData.Date);
    static string RealDrive => Path.Combine(RealDate, SharedData.Drive);

    static IEnumerable<string> Keys(string path) => File.ReadAllLines(path).Select(l => l.Split(':')[0]);

    [Fact]
    public void CalibrationFilesHaveEveryKeyOfTheRealOnesInTheSameOrderAndFormat()
    {
        foreach (var name in new[] { "calib_cam_to_cam.txt", "calib_velo_to_cam.txt", "calib_imu_to_velo.txt" })
        {
            var path = Path.Combine(data.DateDir, name);
            Assert.Equal(Keys(Path.Combine(RealDate, name)), Keys(path));
            var text = File.ReadAllText(path);
            Assert.DoesNotContain("\r", text);
            Assert.EndsWith("\n", text);
            foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith("calib_time")))
                Assert.Matches(@"^[A-Za-z_0-9]+:( -?\d\.\d{6}e[+-]\d\d)+$", line);
        }
    }

    [Fact]
    public void CalibrationDescribesTheRig()
    {
        var calib = CameraCalibration.Load(data.DateDir);
        Assert.Equal(O.Width, calib.ImageWidth);
        Assert.Equal(O.Height, calib.ImageHeight);
        Assert.Equal(0.54, calib.StereoBaseline, 5);
        Assert.Equal(0.54, calib.Baseline(0, 1), 5);
        Assert.Equal(0.06, calib.Baseline(0, 2), 5);
        Assert.Equal(721.5377 * O.Width / 1242, calib.Projection(2)[0, 0], 3);
        // Velodyne origin in camera coordinates: 0.08 m above (y down) and 0.27 m behind the cameras
        var v = calib.VeloToCam;
        Assert.Equal(-0.08, v[1, 3], 6);
        Assert.Equal(-0.27, v[2, 3], 6);
        // velo x forward maps to camera z
        Assert.Equal(1.0, v[2, 0]);
    }

    [Fact]
    public void EveryDriveHasEveryKittiFolderAndFile()
    {
        for (int d = 1; d <= O.Drives; d++)
        {
            var folder = O.Folder(d);
            var drive = Path.Combine(data.Root, folder);
            for (int cam = 0; cam < 4; cam++)
            {
                Assert.Equal(O.Frames, Directory.GetFiles(KittiRawLayout.ImageDir(data.Root, folder, cam)).Length);
                for (int k = 0; k < O.Frames; k++)
                {
                    using var img = Cv2.ImRead(KittiRawLayout.ImagePath(data.Root, folder, cam, k), ImreadModes.Unchanged);
                    Assert.Equal(O.Width, img.Width);
                    Assert.Equal(O.Height, img.Height);
                    Assert.Equal(cam < 2 ? 1 : 3, img.Channels()); // grey "L" for 00/01, RGB for 02/03
                }
            }
            foreach (var stream in new[] { "image_00", "image_01", "image_02", "image_03", "oxts", "velodyne_points" })
                Assert.Equal(O.Frames, Timestamps.Read(KittiRawLayout.TimestampsPath(data.Root, folder, stream)).Count);
            Assert.Equal(File.ReadAllText(Path.Combine(RealDrive, "oxts", "dataformat.txt")), File.ReadAllText(Path.Combine(drive, "oxts", "dataformat.txt")));
            foreach (var ts in new[] { "timestamps_start.txt", "timestamps_end.txt" })
                Assert.Equal(O.Frames, File.ReadAllLines(Path.Combine(drive, "velodyne_points", ts)).Length);
            for (int k = 0; k < O.Frames; k++)
            {
                var packet = OxtsPacket.Read(KittiRawLayout.OxtsPath(data.Root, folder, k));
                Assert.InRange(packet.Lat, 48.9, 49.1);
                Assert.InRange(packet.Vf, 4.0, 16.0); // 0.5 to 1.5 m per frame at 10 Hz (no stop in 5 frames)
                var scan = VelodyneScan.Read(KittiRawLayout.VelodynePath(data.Root, folder, k));
                Assert.InRange(VelodyneScan.PointCount(scan), 60_000, 64 * 2000);
                var depth = Npy.ReadFloatMap(SyntheticDataset.DepthPath(data.Root, folder, k));
                Assert.Equal((O.Height, O.Width), (depth.Height, depth.Width));
                Assert.All(depth.Values, z => Assert.True(z == 0 || z is > 0.5f and < 1000f, $"depth {z}"));
            }
        }
    }

    [Fact]
    public void TimestampsAreTenHertzWithNanosecondsLikeTheRealOnes()
    {
        var line = new Regex(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{9}$");
        Assert.Matches(line, File.ReadAllLines(Path.Combine(RealDrive, "image_02", "timestamps.txt"))[0]);
        var path = KittiRawLayout.TimestampsPath(data.Root, O.Folder(1), "image_02");
        var lines = File.ReadAllLines(path);
        Assert.All(lines, l => Assert.Matches(line, l));
        Assert.StartsWith("2024-06-01 ", lines[0]);
        var t = Timestamps.Read(path);
        for (int k = 1; k < t.Count; k++) Assert.Equal(0.1, (t[k] - t[k - 1]).TotalSeconds, 6);
    }

    [Fact]
    public void SplitsUseTrainingDrivesWithNeighboursAndAHeldOutTestDrive()
    {
        var splits = Path.Combine(data.Root, "splits");
        var train = SplitFile.Read(Path.Combine(splits, "train_files.txt"));
        var val = SplitFile.Read(Path.Combine(splits, "val_files.txt"));
        var test = SplitFile.Read(Path.Combine(splits, "test_files.txt"));
        Assert.NotEmpty(train);
        Assert.All(train.Concat(val), e =>
        {
            Assert.NotEqual(O.Folder(O.TestDrive), e.Folder);
            Assert.InRange(e.FrameIndex, 1, O.Frames - 2);
            Assert.NotNull(KittiRawLayout.FindImage(data.Root, e.Folder, e.Camera, e.FrameIndex - 1));
            Assert.NotNull(KittiRawLayout.FindImage(data.Root, e.Folder, e.Camera, e.FrameIndex + 1));
        });
        Assert.Equal(train.Count(e => e.Side == 'l'), train.Count(e => e.Side == 'r'));
        Assert.Equal(O.Frames, test.Count);
        Assert.All(test, e => { Assert.Equal(O.Folder(O.TestDrive), e.Folder); Assert.Equal('l', e.Side); });
        Assert.Matches(@"^2024_06_01/2024_06_01_drive_0003_sync 0000000000 l$", File.ReadAllLines(Path.Combine(splits, "test_files.txt"))[0]);
        Assert.Matches(@"^2024_06_01/2024_06_01_drive_0001_sync [1-9]\d* [lr]$", File.ReadAllLines(Path.Combine(splits, "train_files.txt"))[0]);
    }

    [Fact]
    public void AResumeSkipsFinishedFramesAndRebuildsAMissingFileIdentically()
    {
        using var dir = new TempDir();
        var o = O with { Drives = 2, Frames = 3, Width = 64, Height = 24 };
        SyntheticDataset.Generate(dir.Path, o);
        var victim = KittiRawLayout.ImagePath(dir.Path, o.Folder(2), 3, 1);
        var before = File.ReadAllBytes(victim);
        File.Delete(victim);
        var summary = SyntheticDataset.Generate(dir.Path, o);
        Assert.Equal(1, summary.FramesRendered);
        Assert.Equal(5, summary.FramesSkipped);
        Assert.Equal(before, File.ReadAllBytes(victim));
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp*", SearchOption.AllDirectories));
        var e = Assert.Throws<InputException>(() => SyntheticDataset.Generate(dir.Path, o with { Seed = 8 }));
        Assert.Contains(SyntheticDataset.ManifestFile, e.Message);
    }

    [Fact]
    public void BadOptionsAreOneLineErrors()
    {
        using var dir = new TempDir();
        Assert.Throws<InputException>(() => SyntheticDataset.Generate(dir.Path, O with { Drives = 1 }));
        Assert.Throws<InputException>(() => SyntheticDataset.Generate(dir.Path, O with { Frames = 2 }));
        Assert.Throws<InputException>(() => SyntheticDataset.Generate(dir.Path, O with { Width = 4 }));
        Assert.Throws<InputException>(() => SyntheticDataset.Generate(dir.Path, O with { Date = "2024-06-01" }));
    }
}

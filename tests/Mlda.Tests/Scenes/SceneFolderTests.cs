using Mlda.Core;
using Mlda.Core.Imaging;
using Mlda.Core.IO;
using Mlda.Core.Kitti;
using Mlda.Core.Scenes;
using Mlda.Core.Synthetic;
using Mlda.Core.Visualization;

namespace Mlda.Tests.Scenes;

/// <summary>The scene-folder layout: cam.txt, frames, ground truth, static frames, and the KITTI converter.</summary>
public class SceneFolderTests
{
    [Fact]
    public void CamTxtReadsThreeLinesOrSfmLearnersOneLine()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["a.txt"], "718.5 0 607.2\n0 718.5 185.2\n0 0 1\n");
        File.WriteAllText(dir["b.txt"], "718.5,0,607.2,0,718.5,185.2,0,0,1\n");
        Assert.Equal(new CameraIntrinsics(718.5, 718.5, 607.2, 185.2), CameraFile.Read(dir["a.txt"]));
        Assert.Equal(new CameraIntrinsics(718.5, 718.5, 607.2, 185.2), CameraFile.Read(dir["b.txt"]));
        CameraFile.Write(dir["c.txt"], new CameraIntrinsics(200, 201.5, 160, 120.25));
        Assert.Equal(new CameraIntrinsics(200, 201.5, 160, 120.25), CameraFile.Read(dir["c.txt"]));
    }

    [Theory]
    [InlineData("", null, "9 numbers")]
    [InlineData("718 0 607\n0 718\n0 0 1\n", 2, "three numbers per line")]
    [InlineData("718 0 607\n0 7x8 185\n0 0 1\n", 2, "'7x8' is not a number")]
    [InlineData("0 0 607\n0 718 185\n0 0 1\n", 1, "fx must be positive")]
    [InlineData("718 0 607\n0 -1 185\n0 0 1\n", 2, "fy must be positive")]
    [InlineData("718 0 607\n0 718 185\n0 0 2\n", 3, "third row")]
    public void MalformedCamTxtNamesFileAndLine(string text, int? line, string message)
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["cam.txt"], text);
        var e = Assert.Throws<InputException>(() => CameraFile.Read(dir["cam.txt"]));
        Assert.Equal(dir["cam.txt"], e.Path);
        Assert.Equal(line, e.Line);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void SceneChecksFramesCameraAndGroundTruth()
    {
        using var dir = new TempDir();
        var scene = SceneFixtures.Scene(dir.Path, "s", frames: 4);
        var s = SceneFolder.Open(scene);
        Assert.Equal(4, s.Frames.Count);
        Assert.Equal((64, 48), (s.Width, s.Height));
        Assert.Empty(s.Warnings);
        Assert.False(s.HasGroundTruth);

        // ground truth of the right size (npy and png), then one of the wrong size
        Directory.CreateDirectory(Path.Combine(scene, "depth"));
        var depth = new FloatMap(48, 64, Enumerable.Range(0, 48 * 64).Select(i => 1 + i % 50 * 0.5f).ToArray());
        Npy.Write(Path.Combine(scene, "depth", "f000.npy"), depth);
        DepthPng.Write(Path.Combine(scene, "depth", "f001.png"), depth);
        s = SceneFolder.Open(scene);
        Assert.Equal(depth.Values, s.ReadDepth(0)!.Values);
        Assert.Equal(depth.Values, s.ReadDepth(1)!.Values); // multiples of 0.5 m are exact in depth x 256
        Assert.Null(s.ReadDepth(2));
        Npy.Write(Path.Combine(scene, "depth", "f002.npy"), new FloatMap(24, 32));
        var e = Assert.Throws<InputException>(() => SceneFolder.Open(scene));
        Assert.Equal(Path.Combine(scene, "depth", "f002.npy"), e.Path);
        Assert.Contains("depth map is 32x24", e.Message);
        File.Delete(Path.Combine(scene, "depth", "f002.npy"));
        DepthPng.Write(Path.Combine(scene, "depth", "f003.png"), new FloatMap(48, 63));
        e = Assert.Throws<InputException>(() => SceneFolder.Open(scene));
        Assert.Contains("depth map is 63x48", e.Message);
        File.Delete(Path.Combine(scene, "depth", "f003.png"));

        // mixed frame sizes
        SceneFixtures.WriteFrame(Path.Combine(scene, "f004.jpg"), 64, 40, 9);
        e = Assert.Throws<InputException>(() => SceneFolder.Open(scene));
        Assert.Equal(Path.Combine(scene, "f004.jpg"), e.Path);
        Assert.Contains("64x40", e.Message);
        File.Delete(Path.Combine(scene, "f004.jpg"));

        // intrinsics: outside the image is an error, off centre a warning, --intrinsics stands in for cam.txt
        CameraFile.Write(Path.Combine(scene, "cam.txt"), new CameraIntrinsics(50, 50, 70, 24));
        e = Assert.Throws<InputException>(() => SceneFolder.Open(scene));
        Assert.Contains("principal point", e.Message);
        CameraFile.Write(Path.Combine(scene, "cam.txt"), new CameraIntrinsics(50, 50, 48, 24));
        Assert.Contains("far from the centre", Assert.Single(SceneFolder.Open(scene).Warnings));
        File.Delete(Path.Combine(scene, "cam.txt"));
        e = Assert.Throws<InputException>(() => SceneFolder.Open(scene));
        Assert.Equal(Path.Combine(scene, "cam.txt"), e.Path);
        Assert.Equal(40, SceneFolder.Open(scene, new CameraIntrinsics(40, 40, 32, 24)).Intrinsics.Fx);

        // too few frames
        var two = SceneFixtures.Scene(dir.Path, "two", frames: 2);
        e = Assert.Throws<InputException>(() => SceneFolder.Open(two));
        Assert.Contains("at least 3 frames", e.Message);
    }

    [Fact]
    public void HeaderSizesMatchDecodedSizes()
    {
        using var dir = new TempDir();
        SceneFixtures.WriteFrame(dir["a.jpg"], 77, 31, 1);
        SceneFixtures.WriteFrame(dir["a.png"], 45, 66, 2);
        Assert.Equal((77, 31), ImageHeader.ReadSize(dir["a.jpg"]));
        Assert.Equal((45, 66), ImageHeader.ReadSize(dir["a.png"]));
        var kitti = KittiRawLayout.ImagePath(SharedData.KittiRawSample, SharedData.Date + "/" + SharedData.Drive, 2, 0);
        Assert.Equal((1242, 375), ImageHeader.ReadSize(kitti));
        File.WriteAllText(dir["b.jpg"], "not an image");
        Assert.Equal(dir["b.jpg"], Assert.Throws<InputException>(() => ImageHeader.ReadSize(dir["b.jpg"])).Path);
    }

    [Fact]
    public void StaticTargetsAreThoseWhoseBothNeighboursLookTheSame()
    {
        using var dir = new TempDir();
        var scene = Path.Combine(dir.Path, "s");
        Directory.CreateDirectory(scene);
        // frames 0-2 one view (the camera stands), then the camera moves
        int[] seeds = [1, 1, 1, 2, 3, 3];
        for (int i = 0; i < seeds.Length; i++) SceneFixtures.WriteFrame(Path.Combine(scene, $"{i}.png"), 64, 48, seeds[i]);
        CameraFile.Write(Path.Combine(scene, "cam.txt"), new CameraIntrinsics(50, 50, 32, 24));
        Assert.Equal([false, true, false, false, false, false], StaticFrames.Detect(SceneFolder.Open(scene)));
    }

    [Fact]
    public void SyntheticDrivesAtAnotherCameraBecomeScenes()
    {
        using var dir = new TempDir();
        var s = SceneFixtures.SyntheticScenes(dir["kitti"], dir["npy"], SceneDepthFormat.Npy);
        SceneFixtures.SyntheticScenes(dir["kitti"], dir["png"], SceneDepthFormat.Png);
        Assert.Equal(["2024_06_01_drive_0001_sync"], s.Train);
        Assert.Equal(["2024_06_01_drive_0002_sync"], s.Test);
        Assert.Empty(s.Val);
        Assert.False(File.Exists(Path.Combine(dir["npy"], "val.txt")));
        var npy = SceneLayout.OpenSplit(dir["npy"], "test").Single();
        var png = SceneLayout.OpenSplit(dir["png"], "test").Single();
        Assert.Equal(5, npy.Frames.Count);
        Assert.All(npy.Frames, f => Assert.EndsWith(".jpg", f));
        Assert.Equal(90, npy.Intrinsics.Fx, 6);
        Assert.Equal(SceneFixtures.Synthetic.Rig.Cy, npy.Intrinsics.Cy, 5);
        for (int i = 0; i < 5; i++)
        {
            var exact = Npy.ReadFloatMap(SyntheticDataset.DepthPath(dir["kitti"], SceneFixtures.Synthetic.Folder(2), i));
            Assert.Equal(exact.Values, npy.ReadDepth(i)!.Values);
            var p = png.ReadDepth(i)!.Values;
            for (int k = 0; k < p.Length; k++)
                Assert.True(Math.Abs(p[k] - Math.Min(exact.Values[k], 255.99f)) <= 0.5 / 256 + 1e-6, $"pixel {k}: {p[k]} vs {exact.Values[k]}");
            // JPEG frames stay close to the rendered PNGs
            Assert.True(SceneFixtures.MeanDifference(npy.Frames[i], KittiRawLayout.ImagePath(dir["kitti"], SceneFixtures.Synthetic.Folder(2), 2, i)) < 3);
        }
    }

    [Fact]
    public void TheRealSampleBecomesOneSceneWithLidarDepth()
    {
        using var dir = new TempDir();
        var s = KittiToScenes.Convert(SharedData.KittiRawSample, dir.Path, new KittiToScenesOptions(SceneDepthFormat.Png));
        Assert.NotNull(s.Note); // one drive: every split lists it
        Assert.Equal([SharedData.Drive], s.Train);
        Assert.Equal([SharedData.Drive], s.Test);
        var scene = SceneLayout.OpenSplit(dir.Path, "test").Single();
        var calib = CameraCalibration.Load(Path.Combine(SharedData.KittiRawSample, SharedData.Date));
        Assert.Equal(CameraIntrinsics.FromMatrix(calib.Intrinsics(2)), scene.Intrinsics);
        Assert.Equal(scene.Frames.Count, s.DepthMaps);
        var gt = scene.ReadDepth(0)!;
        var lidar = LidarGroundTruth.Generate(calib, VelodyneScan.Read(KittiRawLayout.VelodynePath(SharedData.KittiRawSample, SharedData.Date + "/" + SharedData.Drive, 0)), 2);
        int points = lidar.Values.Count(v => v > 0);
        Assert.True(points > 10000, $"{points} LiDAR pixels");
        Assert.Equal(points, gt.Values.Count(v => v > 0));
        for (int k = 0; k < gt.Values.Length; k++) Assert.True(Math.Abs(gt.Values[k] - lidar.Values[k]) <= 0.5 / 256 + 1e-6);
    }
}

using System.Text.Json.Nodes;
using Mlda.Checkpoints;
using Mlda.Core.Imaging;
using Mlda.Core.Kitti;
using Mlda.Core.Scenes;
using Mlda.Networks;
using Mlda.Tests.Evaluation;
using OpenCvSharp;

namespace Mlda.Tests.Scenes;

/// <summary><c>mlda frames</c>, <c>mlda scenes</c>, <c>mlda eval</c> and <c>mlda predict</c> on scene folders, through the real program.</summary>
public class SceneCliTests
{
    [Fact]
    public void BadScenesAreOneLineErrorsAndWriteNothing()
    {
        using var dir = new TempDir();
        var root = dir["scenes"];
        var scene = SceneFixtures.Scene(root, "a", frames: 4);
        SceneFixtures.Splits(root, "a");
        var json = dir["m.json"];
        MldaProcess.Outcome Eval() => MldaProcess.Run("eval", "--data", root, "--split", "test", "--weights", dir["no-model"], "--json", json);

        File.WriteAllText(Path.Combine(scene, "cam.txt"), "50 0 32\n0 50\n0 0 1\n");
        MldaProcess.AssertBadInput(Eval(), Path.Combine(scene, "cam.txt") + ":2:", "three numbers");
        File.Delete(Path.Combine(scene, "cam.txt"));
        MldaProcess.AssertBadInput(Eval(), Path.Combine(scene, "cam.txt"), "not found");
        CameraFile.Write(Path.Combine(scene, "cam.txt"), new CameraIntrinsics(-5, 50, 32, 24));
        MldaProcess.AssertBadInput(Eval(), Path.Combine(scene, "cam.txt") + ":1:", "fx must be positive");
        CameraFile.Write(Path.Combine(scene, "cam.txt"), new CameraIntrinsics(50, 50, 32, 24));
        SceneFixtures.WriteFrame(Path.Combine(scene, "f009.jpg"), 60, 48, 3);
        MldaProcess.AssertBadInput(Eval(), Path.Combine(scene, "f009.jpg"), "60x48");
        File.Delete(Path.Combine(scene, "f009.jpg"));
        Directory.CreateDirectory(Path.Combine(scene, "depth"));
        Mlda.Core.IO.Npy.Write(Path.Combine(scene, "depth", "f001.npy"), new FloatMap(48, 60));
        MldaProcess.AssertBadInput(Eval(), Path.Combine(scene, "depth", "f001.npy"), "depth map is 60x48");
        File.Delete(Path.Combine(scene, "depth", "f001.npy"));
        SceneFixtures.Scene(root, "b", frames: 2);
        SceneFixtures.Splits(root, "a", "b");
        MldaProcess.AssertBadInput(Eval(), Path.Combine(root, "b"), "at least 3 frames");
        SceneFixtures.Splits(root, "a", "c");
        MldaProcess.AssertBadInput(Eval(), Path.Combine(root, "test.txt") + ":2:", "scene 'c' not found");
        Assert.False(File.Exists(json));
    }

    [Fact]
    public void FramesGivesBackTheRealSampleFromAVideo()
    {
        using var dir = new TempDir();
        var folder = SharedData.Date + "/" + SharedData.Drive;
        var originals = Enumerable.Range(0, 10).Select(i => KittiRawLayout.ImagePath(SharedData.KittiRawSample, folder, 2, i)).ToList();
        // Half size (even sides, which codecs want), as PNGs to compare with; MJPEG at full quality codes every frame
        // on its own, so what comes back is close to them.
        var frames = originals.Select((f, i) =>
        {
            using var m = Cv2.ImRead(f);
            using var half = m.Resize(new Size(620, 188), interpolation: InterpolationFlags.Area);
            var path = dir[$"half{i}.png"];
            Cv2.ImWrite(path, half);
            return path;
        }).ToList();
        using (var writer = new VideoWriter(dir["drive.avi"], FourCC.MJPG, 10, new Size(620, 188)))
        {
            Assert.True(writer.IsOpened());
            writer.Set(VideoWriterProperties.Quality, 100);
            foreach (var f in frames) { using var m = Cv2.ImRead(f); writer.Write(m); }
        }
        var o = MldaProcess.Run("frames", "--video", dir["drive.avi"], "--out", dir["scenes/drive"], "--intrinsics", "360.7689,360.7689,304.7797,86.427");
        Assert.True(o.ExitCode == 0, o.Stderr);
        Assert.True(o.Stdout.Contains("10 of 10 frames (620x188"), o.Stdout + o.Stderr);
        var scene = SceneFolder.Open(dir["scenes/drive"]);
        Assert.Equal(10, scene.Frames.Count);
        Assert.Equal(new CameraIntrinsics(360.7689, 360.7689, 304.7797, 86.427), scene.Intrinsics);
        for (int i = 0; i < 10; i++)
        {
            Assert.Equal($"{i:D6}", scene.Stem(i));
            // two JPEG codings (the video's and the scene's) leave a few grey levels; the neighbouring frames of the
            // drive are much further away, so each frame came back in its place
            double d = SceneFixtures.MeanDifference(scene.Frames[i], frames[i]);
            Assert.True(d < 8, $"frame {i} differs by {d:F2} grey levels on average");
            foreach (int j in new[] { i - 1, i + 1 }.Where(j => j is >= 0 and < 10))
            {
                double other = SceneFixtures.MeanDifference(scene.Frames[i], frames[j]);
                Assert.True(d < other / 2, $"frame {i}: {d:F2} grey levels from its original, {other:F2} from frame {j}");
            }
        }

        o = MldaProcess.Run("frames", "--video", dir["drive.avi"], "--out", dir["scenes/every3"], "--every", "3", "--start", "0.1");
        Assert.True(o.ExitCode == 0, o.Stderr);
        Assert.Equal(["000001", "000004", "000007"], SceneFolder.ListFrames(dir["scenes/every3"]).Select(Path.GetFileNameWithoutExtension));
        Assert.Contains("no cam.txt", o.Stdout);
        o = MldaProcess.Run("frames", "--video", dir["drive.avi"], "--out", dir["scenes/fps5"], "--fps", "5");
        Assert.Equal(5, SceneFolder.ListFrames(dir["scenes/fps5"]).Count);

        File.WriteAllText(dir["broken.mp4"], "not a video");
        MldaProcess.AssertBadInput(MldaProcess.Run("frames", "--video", dir["broken.mp4"], "--out", dir["scenes/broken"]), dir["broken.mp4"], "not a readable video");
        Assert.False(Directory.Exists(dir["scenes/broken"]));
    }

    [Fact]
    public void NpyAndPngGroundTruthGiveTheSameTableAndPredictUsesCamTxt()
    {
        using var dir = new TempDir();
        SceneFixtures.SyntheticScenes(dir["kitti"], dir["npy"], SceneDepthFormat.Npy);
        SceneFixtures.SyntheticScenes(dir["kitti"], dir["png"], SceneDepthFormat.Png);
        using (var nets = MldaNetworks.Create(new ModelOptions(Height: 96, Width: 128), imageNetPretrained: false, seed: 2, withPose: false))
        {
            Mlda.Training.Trainer.SetInitialDepth(nets, 3.0);
            Checkpoint.Save(dir["model"], nets);
        }
        string Table(string root, params string[] extra)
        {
            var o = MldaProcess.Run(TimeSpan.FromMinutes(5), ["eval", "--data", root, "--split", "test", "--weights", dir["model"], .. extra]);
            Assert.True(o.ExitCode == 0, o.Stderr);
            return o.Stdout[o.Stdout.IndexOf("   abs_rel", StringComparison.Ordinal)..];
        }
        // PNG stores depth x 256 rounded: the metrics agree to that quantisation (an untrained model's errors are
        // large, which magnifies it); npy maps holding the PNG's own values give the identical table.
        var npy = Table(dir["npy"], "--json", dir["m.json"]);
        var png = Table(dir["png"], "--json", dir["p.json"]);
        var a = JsonNode.Parse(File.ReadAllText(dir["m.json"]))!["metrics"]!;
        var b = JsonNode.Parse(File.ReadAllText(dir["p.json"]))!["metrics"]!;
        foreach (var name in Mlda.Core.Evaluation.DepthMetrics.Names)
            Assert.True(Math.Abs((double)a[name]! - (double)b[name]!) <= 1e-3 * Math.Abs((double)a[name]!), $"{name}: {a[name]} vs {b[name]}");
        foreach (var f in Directory.GetFiles(dir["png"], "*.png", SearchOption.AllDirectories))
        {
            var target = Path.ChangeExtension(f.Replace(dir["png"], dir["npy"]), ".npy");
            Mlda.Core.IO.Npy.Write(target, Mlda.Core.Visualization.DepthPng.Read(f));
        }
        Assert.Equal(png, Table(dir["npy"]));
        Assert.Contains("\"mask\": \"valid_below_cap\"", File.ReadAllText(dir["m.json"]));
        Assert.Contains("\"images\": 5", File.ReadAllText(dir["m.json"]));
        var fixedScale = Table(dir["npy"], "--scale", "5.4", "--max-depth", "50");
        Assert.NotEqual(npy, fixedScale);

        var scene = Path.Combine(dir["npy"], "2024_06_01_drive_0002_sync");
        var p = MldaProcess.Run(TimeSpan.FromMinutes(5), "predict", "--weights", dir["model"], "--input", scene, "--out", dir["pred"], "--outputs", "ply", "--mode", "M", "--scale", "1");
        Assert.True(p.ExitCode == 0, p.Stderr);
        Assert.Contains($"point clouds use {Path.Combine(scene, "cam.txt")} (fx 90", p.Stdout);
        Assert.Equal(5, Directory.GetFiles(dir["pred"], "*.ply").Length);
    }
}

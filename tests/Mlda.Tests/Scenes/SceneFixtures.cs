using Mlda.Core.Imaging;
using Mlda.Core.Scenes;
using Mlda.Core.Synthetic;
using OpenCvSharp;

namespace Mlda.Tests.Scenes;

/// <summary>Small scene folders for the tests: hand-made ones, and `mlda synth` drives at a camera other than KITTI's.</summary>
static class SceneFixtures
{
    /// <summary>A 128x96 camera with fx = 90 (KITTI's would be 74 at this width, with another aspect).</summary>
    public static readonly SyntheticDatasetOptions Synthetic = new(Drives: 2, Frames: 5, Seed: 5, Width: 128, Height: 96, Focal: 90, Threads: 2);

    /// <summary>Renders <see cref="Synthetic"/> once into <paramref name="kittiRoot"/> and converts it to a scene folder.</summary>
    public static KittiToScenesSummary SyntheticScenes(string kittiRoot, string sceneRoot, SceneDepthFormat depth)
    {
        if (!File.Exists(Path.Combine(kittiRoot, SyntheticDataset.ManifestFile))) SyntheticDataset.Generate(kittiRoot, Synthetic);
        return KittiToScenes.Convert(kittiRoot, sceneRoot, new KittiToScenesOptions(depth, TestDrives: 1, ValDrives: 0));
    }

    /// <summary>A noise image (seeded), so frames differ and nothing looks static.</summary>
    public static void WriteFrame(string path, int width, int height, int seed)
    {
        var rng = new Random(seed);
        var pixels = new byte[width * height * 3];
        rng.NextBytes(pixels);
        ImageFile.SaveRgb(path, new ByteImage(height, width, 3, pixels));
    }

    /// <summary>A scene of <paramref name="frames"/> noise frames at 64x48 with an ordinary cam.txt.</summary>
    public static string Scene(string root, string name, int frames = 4, int width = 64, int height = 48)
    {
        var dir = Path.Combine(root, name);
        Directory.CreateDirectory(dir);
        for (int i = 0; i < frames; i++) WriteFrame(Path.Combine(dir, $"f{i:D3}.png"), width, height, 100 * name.Sum(c => c) + i);
        CameraFile.Write(Path.Combine(dir, CameraFile.Name), new CameraIntrinsics(50, 50, width / 2.0, height / 2.0));
        return dir;
    }

    /// <summary>A scene root listing <paramref name="scenes"/> in train.txt and test.txt.</summary>
    public static void Splits(string root, params string[] scenes)
    {
        File.WriteAllLines(Path.Combine(root, "train.txt"), scenes);
        File.WriteAllLines(Path.Combine(root, "test.txt"), scenes);
    }

    /// <summary>Mean absolute difference of two 8-bit images of one size, in grey levels.</summary>
    public static double MeanDifference(string a, string b)
    {
        using var x = Cv2.ImRead(a);
        using var y = Cv2.ImRead(b);
        Assert.Equal(x.Size(), y.Size());
        using var d = new Mat();
        Cv2.Absdiff(x, y, d);
        var m = Cv2.Mean(d);
        return (m.Val0 + m.Val1 + m.Val2) / 3;
    }
}

using Mlda.Core.Scenes;
using Mlda.Tests.Evaluation;

namespace Mlda.Tests.Scenes;

/// <summary>The real KITTI sample as a scene folder: trains a few steps in mode M, evaluates and predicts, through the program.</summary>
public class SceneTrainingTests
{
    [Fact]
    public void TheRealSampleSceneTrainsEvaluatesAndPredicts()
    {
        using var dir = new TempDir();
        var root = dir["scenes"];
        KittiToScenes.Convert(SharedData.KittiRawSample, root, new KittiToScenesOptions(SceneDepthFormat.Png));
        var logs = dir["runs"];
        var o = MldaProcess.Run(TimeSpan.FromMinutes(10), "train", "--data", root, "--log-dir", logs, "--mode", "M", "--no-hints", "--height", "64", "--width", "192",
            "--batch-size", "2", "--epochs", "1", "--max-steps-per-epoch", "2", "--pose-encoder", "light", "--no-imagenet",
            "--threads", "2", "--workers", "1", "--initial-depth", "0.3", "--best-metric", "eigen_mono/abs_rel");
        Assert.True(o.ExitCode == 0, o.Stdout + o.Stderr);
        Assert.Contains("training on 8 items (2 skipped at sequence borders)", o.Stderr);
        Assert.Contains("eigen_mono/abs_rel", o.Stderr); // validation used the scene's LiDAR ground truth
        var best = Path.Combine(logs, "mlda", "models", "best_weights");
        Assert.True(Directory.Exists(best));

        o = MldaProcess.Run("eval", "--data", root, "--split", "test", "--weights", best, "--json", dir["m.json"]);
        Assert.True(o.ExitCode == 0, o.Stdout + o.Stderr);
        Assert.Contains("Mono evaluation - using median scaling", o.Stdout);
        Assert.Contains("\"images\": 10", File.ReadAllText(dir["m.json"]));

        var scene = Path.Combine(root, SharedData.Drive);
        o = MldaProcess.Run("predict", "--weights", best, "--input", scene, "--out", dir["pred"], "--outputs", "npy,ply");
        Assert.True(o.ExitCode == 0, o.Stdout + o.Stderr);
        Assert.Contains("fx 721.54", o.Stdout);
        Assert.Contains("relative (mono", o.Stdout); // the run's train_options.json says mode M
        Assert.Equal(10, Directory.GetFiles(dir["pred"], "*.ply").Length);

        // stereo needs KITTI's pairs: one line, exit 2, no run written
        o = MldaProcess.Run("train", "--data", root, "--log-dir", dir["runs2"], "--mode", "S", "--no-hints");
        MldaProcess.AssertBadInput(o, "mode M");
        Assert.False(Directory.Exists(dir["runs2"]));
    }
}

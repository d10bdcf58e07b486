using Mlda.Checkpoints;
using Mlda.Core;
using Mlda.Core.IO;
using Mlda.Core.Prediction;
using Mlda.Networks;
using Mlda.Prediction;
using Mlda.Tests.Evaluation;

namespace Mlda.Tests.Prediction;

/// <summary>The checkpoint's own options.json decides metric depth, wherever the folder is copied.</summary>
public class CheckpointModeTests
{
    static string KittiImage => Path.Combine(SharedData.KittiRawSample, SharedData.Date, SharedData.Drive, "image_02", "data", "0000000000.png");

    static void Save(string dir, string? mode)
    {
        using var nets = MldaNetworks.Create(new ModelOptions(Height: 64, Width: 128, TrainingMode: mode), imageNetPretrained: false, seed: 2, withPose: false);
        Checkpoint.Save(dir, nets);
    }

    static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var f in Directory.GetFiles(from)) File.Copy(f, Path.Combine(to, Path.GetFileName(f)));
    }

    [Fact]
    public void The_mode_is_recorded_in_one_spelling_and_decides_the_scale()
    {
        using var dir = new TempDir();
        foreach (var (mode, metric) in new[] { (TrainingMode.Mono, (double?)null), (TrainingMode.Stereo, 5.4), (TrainingMode.MonoStereo, 5.4) })
        {
            // a run folder whose train_options.json says the opposite: the checkpoint's own options.json decides
            var weights = dir[$"run_{mode}/models/best_weights"];
            Save(weights, mode);
            File.WriteAllText(dir[$"run_{mode}/train_options.json"], mode == TrainingMode.Mono ? "{\"Mode\": \"MS\"}" : "{\"Mode\": \"M\"}");
            Assert.Contains($"\"TrainingMode\": \"{mode}\"", File.ReadAllText(Path.Combine(weights, Checkpoint.OptionsFile)));
            var copy = dir[$"copied_{mode}"];
            CopyFolder(weights, copy);
            foreach (var w in new[] { weights, copy })
            {
                var options = Checkpoint.ReadOptions(w);
                Assert.Equal(mode, options.TrainingMode);
                Assert.Equal(metric, CheckpointScaling.For(w, options).MetricScale);
            }
        }
    }

    [Fact]
    public void A_checkpoint_without_a_mode_asks_for_one_and_a_bad_mode_is_refused()
    {
        using var dir = new TempDir();
        Save(dir["old"], null);
        var options = Checkpoint.ReadOptions(dir["old"]);
        var e = Assert.Throws<InputException>(() => CheckpointScaling.For(dir["old"], options));
        Assert.Contains(Path.Combine(dir["old"], "options.json"), e.Message);
        Assert.Contains("--mode", e.Message);
        Assert.Null(CheckpointScaling.For(dir["old"], options, TrainingMode.Mono).MetricScale);
        Assert.Equal(5.4, CheckpointScaling.For(dir["old"], options, "MS").MetricScale);
        Assert.Equal(2.0, CheckpointScaling.For(dir["old"], options, userScale: 2.0).MetricScale);

        var json = File.ReadAllText(dir["old/options.json"]).Replace("\"TrainingMode\": null", "\"TrainingMode\": \"mono\"");
        File.WriteAllText(dir["old/options.json"], json);
        Assert.Contains("training mode must be one of M, S, MS", Assert.Throws<InputException>(() => Checkpoint.ReadOptions(dir["old"])).Message);
    }

    [Fact]
    public void Old_model_json_spellings_read_as_the_one_spelling()
    {
        Assert.Equal(TrainingMode.MonoStereo, TrainingMode.Parse("mono+stereo"));
        Assert.Equal(TrainingMode.Mono, TrainingMode.Parse("mono"));
        Assert.Equal(TrainingMode.Stereo, TrainingMode.Parse("s"));
        Assert.Null(TrainingMode.Parse("unknown"));
    }

    [Fact]
    public void A_mono_checkpoint_copied_elsewhere_predicts_relative_depth_and_a_stereo_one_metres()
    {
        using var dir = new TempDir();
        Save(dir["run/models/mono"], TrainingMode.Mono);
        File.WriteAllText(dir["run/train_options.json"], "{\"Mode\": \"MS\"}");
        CopyFolder(dir["run/models/mono"], dir["elsewhere/mono"]);
        Save(dir["stereo"], TrainingMode.Stereo);

        var mono = MldaProcess.Run("predict", "--weights", dir["elsewhere/mono"], "--input", KittiImage, "--out", dir["out_mono"], "--outputs", "npy");
        Assert.True(mono.ExitCode == 0, mono.Stderr);
        Assert.Contains("depth relative (mono: no metric scale)", mono.Stdout);
        var stereo = MldaProcess.Run("predict", "--weights", dir["stereo"], "--input", KittiImage, "--out", dir["out_stereo"], "--outputs", "npy");
        Assert.True(stereo.ExitCode == 0, stereo.Stderr);
        Assert.Contains("depth in metres (x5.4)", stereo.Stdout);
        // the two networks share their seed, so the depths differ exactly by the metric factor
        var relative = Npy.ReadFloatMap(dir["out_mono/0000000000_depth.npy"]);
        var metres = Npy.ReadFloatMap(dir["out_stereo/0000000000_depth.npy"]);
        for (int i = 0; i < relative.Values.Length; i += 997) Assert.Equal(5.4f * relative.Values[i], metres.Values[i], 3);

        Save(dir["old"], null);
        MldaProcess.AssertBadInput(MldaProcess.Run("predict", "--weights", dir["old"], "--input", KittiImage, "--out", dir["out_old"]), "options.json", "--mode");
        Assert.False(Directory.Exists(dir["out_old"]));
    }
}

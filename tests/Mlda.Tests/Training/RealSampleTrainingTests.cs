using Mlda.Checkpoints;
using Mlda.Core;
using Mlda.Networks;
using Mlda.Training;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Mlda.Tests.Training;

public class RealSampleTrainingTests(ITestOutputHelper output)
{
    static TrainOptions Options(string logDir, string name, int epochs) => new()
    {
        DataPath = RealSample.Data,
        SplitDir = RealSample.SplitDir,
        LogDir = logDir,
        ModelName = name,
        HintPath = RealSample.HintDir,
        Height = 64,
        Width = 128,
        PoseEncoder = PoseEncoderKind.Light,
        ImageNetPretrained = true,
        Epochs = epochs,
        MaxStepsPerEpoch = 4,
        SchedulerStepSize = 100,
        LearningRate = 2e-4,
        CacheImages = true,
        LogFrequency = 1,
        Seed = 3,
    };

    static void AssertSameWeights(string dirA, string dirB)
    {
        using var a = Checkpoint.Load(dirA);
        using var b = Checkpoint.Load(dirB);
        foreach (var ((name, ma), (_, mb)) in a.Named().Zip(b.Named()))
        {
            var sb = mb.state_dict();
            foreach (var (key, value) in ma.state_dict())
                Assert.True(allclose(value.to(float64), sb[key].to(float64), rtol: 1e-4, atol: 1e-6), $"{name}.{key} differs");
        }
    }

    [Fact]
    public void Training_on_the_real_sample_checkpoints_and_resumes_exactly_after_an_interruption()
    {
        using var tmp = new TempDir();
        TrainOptions Opts(string name) => Options(tmp.Path, name, 2) with { MaxStepsPerEpoch = 2, ImageNetPretrained = false };
        // A: two epochs straight.
        using (var a = new Trainer(Opts("a"), resume: false))
        {
            var r = a.Run();
            Assert.False(r.Interrupted);
            Assert.Equal(4, r.State.GlobalStep);
            Assert.Equal(4, r.SkippedAtBorders);
            Assert.NotNull(r.LastValidation!.RmseAvg);
            Assert.NotNull(r.LastValidation.Eigen);
        }
        var models = Path.Combine(tmp.Path, "a", "models");
        foreach (var d in new[] { "weights_0", "weights_1", Trainer.BestDir, Trainer.LastDir })
            Assert.True(File.Exists(Path.Combine(models, d, "encoder.safetensors")), d);
        Assert.True(File.Exists(Path.Combine(tmp.Path, "a", Trainer.OptionsFile)));
        Assert.True(File.ReadAllLines(Path.Combine(tmp.Path, "a", "metrics.jsonl")).Length >= 6);
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(tmp.Path, "a", "tensorboard", "train")));

        // B: the same run stopped after three steps (as Ctrl-C does: mid-epoch), then resumed from models/last.
        using (var cts = new CancellationTokenSource())
        {
            using var b = new Trainer(Opts("b"), resume: false, new CancelAfter(3, cts));
            var r = b.Run(cts.Token);
            Assert.True(r.Interrupted);
            Assert.Equal(3, r.State.GlobalStep);
        }
        Assert.Throws<InputException>(() => new Trainer(Opts("b"), resume: false));
        using (var b = new Trainer(Opts("b"), resume: true))
        {
            var r = b.Run();
            Assert.False(r.Interrupted);
            Assert.Equal(4, r.State.GlobalStep);
            Assert.Single(r.Photometric);
        }
        AssertSameWeights(Path.Combine(models, Trainer.LastDir), Path.Combine(tmp.Path, "b", "models", Trainer.LastDir));
    }

    [Fact]
    public void Training_on_the_real_sample_lowers_its_photometric_error()
    {
        using var tmp = new TempDir();
        // Two items (frames 4 and 5, left) in every batch: the error must fall as the networks learn their views.
        var split = Path.Combine(tmp.Path, "split");
        Directory.CreateDirectory(split);
        File.WriteAllLines(Path.Combine(split, "train_files.txt"), [$"{RealSample.Folder} 4 l", $"{RealSample.Folder} 5 l"]);
        var o = Options(tmp.Path, "p", 8) with { SplitDir = split, MaxStepsPerEpoch = 0, LearningRate = 1e-4 };
        using var trainer = new Trainer(o, resume: false);
        var r = trainer.Run();
        var p = r.Photometric;
        output.WriteLine("photometric per step: " + string.Join(" ", p.Select(v => v.ToString("F4"))));
        Assert.Equal(8, p.Count);
        double first = p.Take(2).Average(), last = p.Skip(6).Average();
        Assert.True(last < first * 0.9, $"photometric error did not fall: {first:F4} -> {last:F4}");
    }

    /// <summary>Cancels after the n-th reported step (reports are synchronous, unlike <see cref="Progress{T}"/>).</summary>
    sealed class CancelAfter(int n, CancellationTokenSource cts) : IProgress<ProgressUpdate>
    {
        int _steps;
        public void Report(ProgressUpdate value)
        {
            if (++_steps == n) cts.Cancel();
        }
    }
}

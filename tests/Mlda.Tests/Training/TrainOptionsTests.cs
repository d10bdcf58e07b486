using Mlda.Core;
using Mlda.Networks;
using Mlda.Training;

namespace Mlda.Tests.Training;

public class TrainOptionsTests
{
    [Fact]
    public void Defaults_are_the_reference_and_the_schedule_keeps_its_off_by_one()
    {
        var o = new TrainOptions();
        Assert.Equal(("MS", 192, 640, 2, 10), (o.Mode, o.Height, o.Width, o.BatchSize, o.Epochs));
        Assert.Equal(1e-4, o.LearningRateAt(0), 12);
        Assert.Equal(1e-5, o.LearningRateAt(1), 12);
        Assert.Equal(1e-5, o.LearningRateAt(2), 12);
        Assert.Equal(1e-6, o.LearningRateAt(3), 12);
        Assert.Equal(1e-9, o.LearningRateAt(9), 15);
        var plain = o with { SchedulerOffByOne = false };
        Assert.Equal(1e-4, plain.LearningRateAt(1), 12);
        Assert.Equal(1e-5, plain.LearningRateAt(2), 12);
    }

    [Fact]
    public void Warm_up_raises_the_rate_linearly_then_hands_over_to_the_schedule()
    {
        var o = new TrainOptions { LearningRate = 1e-4, WarmupSteps = 4, SchedulerStepSize = 100 };
        Assert.Equal(0.25e-4, o.LearningRateAt(0, 0), 12);
        Assert.Equal(0.75e-4, o.LearningRateAt(0, 2), 12);
        Assert.Equal(1e-4, o.LearningRateAt(0, 3), 12);
        Assert.Equal(1e-4, o.LearningRateAt(1, 500), 12);
        Assert.Equal(1e-4, o.LearningRateAt(1), 12);
        Assert.Equal(1e-4, (o with { WarmupSteps = 0 }).LearningRateAt(0, 0), 12);
        Assert.Contains("warm-up", Assert.Throws<InputException>(() => (o with { WarmupSteps = -1 }).Validate()).Message);
    }

    [Fact]
    public void Best_weights_follow_the_chosen_metric_where_it_exists()
    {
        var eigen = new Dictionary<string, double> { ["eigen_stereo/abs_rel"] = 0.2, ["eigen_mono/abs_rel"] = 0.3 };
        var withGt = new ValidationResult(16, 1.5, 0.1, 7.0, 6.0, 8.0, eigen);
        Assert.Equal(("rmse_avg", 7.0), withGt.SelectionBy(new TrainOptions().BestMetric));
        Assert.Equal(("eigen_stereo/abs_rel", 0.2), withGt.SelectionBy("eigen_stereo/abs_rel"));
        var noGt = new ValidationResult(16, 1.5, 0.1, null, null, null, null);
        Assert.Equal(("val_loss", 1.5), noGt.SelectionBy("eigen_stereo/abs_rel"));
        var o = new TrainOptions { DataPath = "d", SplitDir = "s", LogDir = "l" };
        o.Validate();
        (o with { BestMetric = "eigen_stereo/abs_rel" }).Validate();
        Assert.Contains("bestMetric", Assert.Throws<InputException>(() => (o with { BestMetric = "eigen_stereo/a1" }).Validate()).Message);
    }

    [Fact]
    public void Json_round_trips_and_unknown_keys_are_errors_with_the_file_name()
    {
        using var tmp = new TempDir();
        var o = new TrainOptions { DataPath = "d", SplitDir = "s", LogDir = "l", Mode = "S", PoseEncoder = PoseEncoderKind.Light, HintPath = "h", Width = 320, Height = 96 };
        File.WriteAllText(tmp["a.json"], o.ToJson());
        Assert.Equal(o, TrainOptions.Load(tmp["a.json"]));
        Assert.Contains("\"poseEncoder\": \"Light\"", o.ToJson());
        File.WriteAllText(tmp["b.json"], "{ \"learningRat\": 0.1 }");
        var e = Assert.Throws<InputException>(() => TrainOptions.Load(tmp["b.json"]));
        Assert.Contains("b.json", e.Message);
    }

    [Fact]
    public void The_cpu_configuration_in_the_repository_loads_and_is_valid()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "configs", "cpu-synthetic.json"))) dir = dir.Parent;
        Assert.NotNull(dir);
        var o = TrainOptions.Load(Path.Combine(dir!.FullName, "configs", "cpu-synthetic.json")) with { DataPath = "d", SplitDir = "s", LogDir = "l", HintPath = "h" };
        o.Validate();
        Assert.Equal(0, o.Height % 32);
        Assert.Equal(0, o.TimeLimitMinutes);   // the demo trains a fixed number of steps, whatever the machine's speed
    }

    [Fact]
    public void Options_that_cannot_run_are_refused()
    {
        var ok = new TrainOptions { DataPath = "d", SplitDir = "s", LogDir = "l" };
        ok.Validate();
        Assert.Throws<InputException>(() => (ok with { Mode = "X" }).Validate());
        Assert.Throws<InputException>(() => (ok with { Mode = "M", HintPath = "h" }).Validate());
        Assert.Throws<InputException>(() => (ok with { Width = 300 }).Validate());
    }

    [Theory]
    [InlineData("M", 10.0, 2)]
    [InlineData("MS", 10.0, 2)]
    [InlineData("M", 1.0, 1)]   // one group, as before the option existed: older runs resume unchanged
    [InlineData("S", 10.0, 1)]  // no pose networks
    public void The_pose_networks_get_their_own_rate_only_when_it_differs(string mode, double scale, int groups)
    {
        var o = new TrainOptions { Mode = mode, Height = 64, Width = 128, LearningRate = 5e-5, PoseLearningRateScale = scale, PoseEncoder = PoseEncoderKind.Light };
        using var nets = MldaNetworks.Create(o.ToModelOptions(), imageNetPretrained: false, seed: 0, withPose: o.UsesTemporal);
        using var adam = Trainer.CreateOptimizer(nets, o);
        var g = adam.ParamGroups.Cast<TorchSharp.Modules.Adam.ParamGroup>().ToList();
        Assert.Equal(groups, g.Count);
        Assert.Equal(5e-5, g[0].LearningRate, 12);
        Assert.Equal(nets.TrainableParameters().Count(), g.Sum(x => x.Parameters.Count()));
        if (groups == 2)
        {
            Assert.Equal(5e-4, g[1].LearningRate, 12);
            Assert.Equal(nets.PoseEncoder.Module.parameters().Count() + nets.Pose.parameters().Count(), g[1].Parameters.Count());
        }
    }

    [Fact]
    public void A_pose_rate_scale_that_is_not_positive_is_refused()
    {
        var o = new TrainOptions { DataPath = "d", LogDir = "l", PoseLearningRateScale = 0 };
        Assert.Contains("pose learning-rate scale", Assert.Throws<InputException>(() => o.Validate()).Message);
    }
}

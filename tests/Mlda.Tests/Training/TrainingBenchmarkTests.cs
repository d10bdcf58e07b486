using Mlda.Networks;
using Mlda.Training;

namespace Mlda.Tests.Training;

public class TrainingBenchmarkTests
{
    [Fact]
    public void The_benchmark_times_every_stage_of_a_step_from_outside()
    {
        var r = TrainingBenchmark.Run(128, 64, batchSize: 1, steps: 1, mode: "MS", poseEncoder: PoseEncoderKind.Light, hints: true, warmup: 0);
        foreach (var (name, seconds) in new[] { ("encoder", r.Encoder), ("depth", r.Depth), ("pose", r.Pose), ("warp+loss", r.WarpAndLoss), ("backward", r.Backward), ("optimiser", r.OptimiserStep) })
            Assert.True(seconds > 0, $"{name}: {seconds}");
        Assert.Equal(r.Encoder + r.Depth + r.Pose + r.WarpAndLoss + r.Backward + r.OptimiserStep, r.Step, 12);
        Assert.Contains("backward", r.ToString());
    }
}

using Mlda.Core;
using Mlda.Networks;

namespace Mlda.Tests.Networks;

public class NetworkBenchmarkTests
{
    [Fact]
    public void Benchmark_times_every_phase_and_reports_progress()
    {
        var updates = new List<ProgressUpdate>();
        var t = NetworkBenchmark.Measure(new ModelOptions(64, 96, PoseEncoderKind.Light), batch: 2, repeats: 1,
            progress: new SynchronousProgress(updates.Add));
        Assert.Equal((96, 64, 2), (t.Width, t.Height, t.Batch));
        Assert.True(t.InferenceForwardSeconds > 0 && t.TrainingForwardSeconds > 0 && t.TrainingForwardBackwardSeconds > 0);
        Assert.Equal(6, updates.Count);
        Assert.Equal(updates[^1].Total, updates[^1].Done);
    }

    sealed class SynchronousProgress(Action<ProgressUpdate> report) : IProgress<ProgressUpdate>
    {
        public void Report(ProgressUpdate value) => report(value);
    }
}

using Mlda.Core.Prediction;
using Mlda.Interop;
using Mlda.Networks;
using Mlda.Prediction;

namespace Mlda.Tests.Prediction;

/// <summary>The TorchSharp GC seam is reference-counted: two threads inside it stay protected until both leave.</summary>
public class ConcurrentPredictionTests
{
    [Fact]
    public void The_region_lasts_until_the_last_thread_leaves()
    {
        Assert.Equal(0, NoGcRegion.Users);
        using var firstInside = new ManualResetEventSlim();
        using var secondInside = new ManualResetEventSlim();
        using var firstLeft = new ManualResetEventSlim();
        bool inEffectAfterFirstLeft = false;
        int usersWithBoth = -1, usersAfterFirstLeft = -1;
        var first = new Thread(() =>
        {
            using (new NoGcRegion())
            {
                firstInside.Set();
                secondInside.Wait();
                usersWithBoth = NoGcRegion.Users;
            }
            firstLeft.Set();
        });
        var second = new Thread(() =>
        {
            firstInside.Wait();
            using (new NoGcRegion())
            {
                secondInside.Set();
                firstLeft.Wait();
                usersAfterFirstLeft = NoGcRegion.Users;
                inEffectAfterFirstLeft = NoGcRegion.InEffect;   // the first Dispose must not end the region under this thread
            }
        });
        first.Start();
        second.Start();
        first.Join();
        second.Join();
        Assert.Equal(2, usersWithBoth);
        Assert.Equal(1, usersAfterFirstLeft);
        Assert.True(inEffectAfterFirstLeft);
        Assert.Equal(0, NoGcRegion.Users);
        Assert.False(NoGcRegion.InEffect);
    }

    [Fact]
    public void Two_threads_predicting_at_once_get_the_sequential_results()
    {
        using var nets = MldaNetworks.Create(new ModelOptions(Height: 64, Width: 128), imageNetPretrained: false, seed: 4, withPose: false);
        using var model = new TorchDisparityModel(nets, ownsNetworks: false);
        var rng = new Random(3);
        var inputs = Enumerable.Range(0, 2).Select(_ => Enumerable.Range(0, 3 * 64 * 128).Select(_ => (float)rng.NextDouble()).ToArray()).ToArray();
        var sequential = inputs.Select(x => model.PredictDisparity(x, 1)).ToArray();

        using var stop = new CancellationTokenSource();
        // makes garbage meanwhile, as a loader or progress thread would
        var allocator = new Thread(() =>
        {
            while (!stop.IsCancellationRequested) _ = new byte[1024];
        });
        allocator.Start();
        var results = new float[2][][];
        Parallel.For(0, 2, new ParallelOptions { MaxDegreeOfParallelism = 2 }, t =>
        {
            results[t] = new float[6][];
            for (int k = 0; k < 6; k++) results[t][k] = model.PredictDisparity(inputs[t], 1);
        });
        stop.Cancel();
        allocator.Join();
        for (int t = 0; t < 2; t++)
            foreach (var r in results[t]) Assert.Equal(sequential[t], r);
        Assert.Equal(0, NoGcRegion.Users);
    }
}

using Mlda.Training;
using static TorchSharp.torch;

namespace Mlda.Tests.Training;

public class BatchLoaderTests
{
    static KittiRawDataset Data() => new(RealSample.Data, RealSample.Train,
        new DatasetOptions(64, 128, HintPath: RealSample.HintDir, CacheImages: true), isTrain: true);

    static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && allclose(a, b, rtol: 0, atol: 0);

    [Fact]
    public void Batches_depend_on_seed_epoch_and_position_only_not_on_threads_or_where_the_epoch_starts()
    {
        var data = Data();
        var one = new BatchLoader(data, 2, shuffle: true, dropLast: true, seed: 7, workers: 1);
        var two = new BatchLoader(data, 2, shuffle: true, dropLast: true, seed: 7, workers: 3);
        Assert.Equal(8, one.BatchesPerEpoch);
        var a = one.Epoch(1).Take(4).ToList();
        var b = two.Epoch(1).Take(4).ToList();
        var tail = two.Epoch(1, startBatch: 2).Take(2).ToList();
        try
        {
            for (int i = 0; i < 4; i++)
            {
                Assert.Equal(a[i].Indices, b[i].Indices);
                Assert.True(Same(a[i].Target, b[i].Target), $"target {i}");
                Assert.True(Same(a[i].TargetAugmented, b[i].TargetAugmented), $"aug {i}: {a[i].TargetAugmented.sum().item<float>()} vs {b[i].TargetAugmented.sum().item<float>()}");
                Assert.True(Same(a[i].StereoT, b[i].StereoT));
                Assert.True(Same(a[i].Hint!, b[i].Hint!));
            }
            Assert.Equal(a[2].Indices, tail[0].Indices);
            Assert.True(Same(a[3].SourcesAugmented[1], tail[1].SourcesAugmented[1]));
            Assert.NotEqual(one.Order(0), one.Order(1));
        }
        finally
        {
            foreach (var x in a.Concat(b).Concat(tail)) x.Dispose();
        }
    }

    [Fact]
    public void A_collated_batch_has_the_shapes_the_model_expects()
    {
        var loader = new BatchLoader(Data(), 2, shuffle: false, dropLast: true, seed: 0);
        using var batch = loader.Epoch(0).First();
        Assert.Equal(new long[] { 2, 3, 64, 128 }, batch.Target.shape);
        Assert.Equal(new long[] { 2, 3, 8, 16 }, batch.TargetScales[2].shape);
        Assert.Equal(3, batch.Sources.Length);
        Assert.Equal(new long[] { 2, 1, 64, 128 }, batch.Hint!.shape);
        Assert.Equal(new long[] { 2, 4, 4 }, batch.K.shape);
        Assert.True(allclose(matmul(batch.K, batch.InvK), eye(4).expand(2, 4, 4), atol: 1e-5));
        Assert.Equal(0.1f, Math.Abs(batch.StereoT[0, 0, 3].item<float>()), 6);
    }
}

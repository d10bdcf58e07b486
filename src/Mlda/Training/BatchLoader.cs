using System.Collections.Concurrent;
using System.Diagnostics;

namespace Mlda.Training;

/// <summary>
/// Batches prepared on worker threads ahead of the model, in a fixed order. The order and every item's augmentation
/// depend only on (seed, epoch, position), never on thread timing, so a resumed run sees exactly the batches the
/// interrupted one would have. <see cref="WaitSeconds"/> measures how long the consumer waited for data: near zero
/// means the model never waits.
/// </summary>
public sealed class BatchLoader
{
    readonly ITrainingDataset _dataset;
    readonly int _batchSize, _workers, _prefetch;
    readonly bool _shuffle, _dropLast;
    readonly long _seed;

    public double WaitSeconds { get; private set; }

    public BatchLoader(ITrainingDataset dataset, int batchSize, bool shuffle, bool dropLast, long seed, int workers = 2, int prefetch = 4)
    {
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize));
        _dataset = dataset;
        _batchSize = batchSize;
        _shuffle = shuffle;
        _dropLast = dropLast;
        _seed = seed;
        _workers = Math.Max(1, workers);
        _prefetch = Math.Max(1, prefetch);
    }

    public int BatchesPerEpoch => _dropLast ? _dataset.Count / _batchSize : (_dataset.Count + _batchSize - 1) / _batchSize;

    /// <summary>The item order of an epoch: a seeded permutation (training) or the split order.</summary>
    public int[] Order(int epoch)
    {
        var order = Enumerable.Range(0, _dataset.Count).ToArray();
        if (_shuffle) new Random(ItemSeed.Of(_seed, epoch, -1)).Shuffle(order);
        return order;
    }

    /// <summary>
    /// The batches of <paramref name="epoch"/> from batch <paramref name="startBatch"/> on. The caller disposes each
    /// batch; abandoning the enumeration stops the workers.
    /// </summary>
    public IEnumerable<TrainingBatch> Epoch(int epoch, int startBatch = 0, CancellationToken ct = default)
    {
        var order = Order(epoch);
        int count = BatchesPerEpoch;
        if (startBatch >= count) yield break;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var ready = new ConcurrentDictionary<int, TrainingBatch>();
        using var slots = new SemaphoreSlim(_prefetch);
        using var produced = new SemaphoreSlim(0);
        int next = startBatch - 1;
        Exception? failure = null;

        void Work()
        {
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    slots.Wait(stop.Token);
                    int b = Interlocked.Increment(ref next);
                    if (b >= count) { slots.Release(); return; }
                    var clock = Stopwatch.StartNew();
                    int from = b * _batchSize, to = Math.Min(order.Length, from + _batchSize);
                    var samples = new List<TrainingSample>(to - from);
                    for (int i = from; i < to; i++)
                        samples.Add(_dataset.Get(order[i], new Random(ItemSeed.Of(_seed, epoch, i))));
                    var batch = TrainingBatch.Collate(samples, _dataset.Options.Height, _dataset.Options.Width);
                    batch.PrepareSeconds = clock.Elapsed.TotalSeconds;
                    ready[b] = batch;
                    produced.Release();
                }
            }
            catch (OperationCanceledException) { }
            catch (Exception e)
            {
                failure = e;
                produced.Release();
            }
        }

        var threads = Enumerable.Range(0, _workers).Select(i => new Thread(Work) { IsBackground = true, Name = $"batch-loader-{i}" }).ToArray();
        foreach (var t in threads) t.Start();
        try
        {
            for (int b = startBatch; b < count; b++)
            {
                var clock = Stopwatch.StartNew();
                TrainingBatch? batch;
                while (!ready.TryRemove(b, out batch))
                {
                    produced.Wait(ct);
                    if (failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
                }
                WaitSeconds += clock.Elapsed.TotalSeconds;
                slots.Release();
                yield return batch;
            }
        }
        finally
        {
            stop.Cancel();
            foreach (var t in threads) t.Join();
            foreach (var leftover in ready.Values) leftover.Dispose();
        }
    }
}

using System.Diagnostics;
using Mlda.Core.Imaging;
using Mlda.Core.IO;

namespace Mlda.Core.Hints;

/// <summary>A hint that could not be made, and why (the message names the file where there is one).</summary>
public sealed record DepthHintFailure(DepthHintItem Item, string Message);

/// <summary>What a <see cref="DepthHintJob"/> did.</summary>
public sealed record DepthHintJobResult(int Written, int Skipped, IReadOnlyList<DepthHintFailure> Failures, TimeSpan Elapsed)
{
    public bool Succeeded => Failures.Count == 0;
}

/// <summary>
/// Makes the depth hints of many images, as <c>precompute_depth_hints.py</c> does for a split, and writes each as
/// depth-hints' <c>.npy</c> (float32, shape (1, H, W)) under <paramref name="OutputRoot"/>. Images run in parallel
/// (each one's matchers sequentially, so the cores are shared by images); files that exist are skipped, so an
/// interrupted job resumes; every file is written atomically; an image that fails is recorded by name and the
/// others go on, unless <see cref="StopAtFirstError"/> is set.
/// </summary>
public sealed record DepthHintJob(string DataRoot, string OutputRoot, IReadOnlyList<DepthHintItem> Items)
{
    public DepthHintOptions Options { get; init; } = new();

    /// <summary>Images processed at once; default: one per core.</summary>
    public int MaxParallelImages { get; init; } = Environment.ProcessorCount;

    /// <summary>Recompute hints whose file exists (depth-hints' <c>--overwrite_saved_depths</c>).</summary>
    public bool Overwrite { get; init; }

    /// <summary>
    /// Check the output folder and the first stereo pair before any work, and end the job at the first image that
    /// fails (its <see cref="InputException"/> is thrown): what the command line wants, where the same cause would
    /// otherwise fail every image in turn.
    /// </summary>
    public bool StopAtFirstError { get; init; }

    public DepthHintJobResult Run(IProgress<ProgressUpdate>? progress = null, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var pending = Overwrite ? Items : [.. Items.Where(i => !File.Exists(i.OutputPath(OutputRoot)))];
        int skipped = Items.Count - pending.Count;
        int parallelImages = Math.Max(1, Math.Min(MaxParallelImages, pending.Count));
        // Few images: give each the cores the others do not use (its matchers then run in parallel).
        var generator = new DepthHintGenerator(Options with { MaxDegreeOfParallelism = Math.Max(1, Environment.ProcessorCount / parallelImages) });
        var failures = new List<DepthHintFailure>();
        int done = 0, written = 0;
        progress?.Report(new ProgressUpdate("hints", 0, pending.Count, skipped > 0 ? $"{skipped} already there" : null));
        if (StopAtFirstError && pending.Count > 0) CheckBeforeStart(pending);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = parallelImages, CancellationToken = stop.Token };
        InputException? first = null;
        try
        {
            Parallel.ForEach(pending, parallel, item => Process(item));
        }
        catch (OperationCanceledException) when (first is not null)
        {
        }
        if (first is not null) throw first;
        return new DepthHintJobResult(written, skipped, [.. failures.OrderBy(f => f.Item.ToString(), StringComparer.Ordinal)], clock.Elapsed);

        void Process(DepthHintItem item)
        {
            try
            {
                Make(generator, item, stop.Token);
                Interlocked.Increment(ref written);
            }
            catch (Exception e) when (StopAtFirstError && (e is InputException || FileSystemError.Is(e)))
            {
                Interlocked.CompareExchange(ref first, e as InputException ?? FileSystemError.ToInputException(e, null, item.ToString()), null);
                stop.Cancel();
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                var message = e is InputException ? e.Message : $"{item}: {e.GetType().Name}: {e.Message}";
                lock (failures) failures.Add(new DepthHintFailure(item, message));
            }
            int n = Interlocked.Increment(ref done);
            int failed;
            lock (failures) failed = failures.Count;
            progress?.Report(new ProgressUpdate("hints", n, pending.Count, failed > 0 ? $"{failed} failed" : null));
        }
    }

    /// <summary>The output folder can be made and written, every image exists, and the first pair is readable and of one size.</summary>
    void CheckBeforeStart(IReadOnlyList<DepthHintItem> pending)
    {
        if (File.Exists(OutputRoot)) throw new InputException(OutputRoot, "the output folder is an existing file");
        AtomicFile.WriteAllText(Path.Combine(OutputRoot, ".write-check"), "");
        File.Delete(Path.Combine(OutputRoot, ".write-check"));
        foreach (var item in pending)
        {
            _ = item.BaseImagePath(DataRoot); // each throws the InputException of a missing image
            _ = item.OtherImagePath(DataRoot);
        }
        LoadPair(pending[0]);
    }

    (ByteImage Base, ByteImage Other) LoadPair(DepthHintItem item)
    {
        var baseImage = ImageFile.LoadRgb(item.BaseImagePath(DataRoot));
        var otherImage = ImageFile.LoadRgb(item.OtherImagePath(DataRoot));
        if (baseImage.Width != otherImage.Width || baseImage.Height != otherImage.Height)
            throw new InputException(item.OtherImagePath(DataRoot),
                $"stereo pair sizes differ: {baseImage.Width}x{baseImage.Height} vs {otherImage.Width}x{otherImage.Height}");
        return (baseImage, otherImage);
    }

    void Make(DepthHintGenerator generator, DepthHintItem item, CancellationToken cancellationToken)
    {
        var (baseImage, otherImage) = LoadPair(item);
        var hint = generator.Compute(baseImage, otherImage, item.Side, cancellationToken);
        DepthHintFile.Write(item.OutputPath(OutputRoot), hint.Depth);
    }
}

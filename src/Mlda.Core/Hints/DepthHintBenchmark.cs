using System.Diagnostics;
using Mlda.Core.Imaging;

namespace Mlda.Core.Hints;

/// <summary>Throughput of fused hints next to one plain SGBM matcher, on the same images and threads.</summary>
/// <param name="Images">images (base views) timed per method</param>
/// <param name="Threads">images processed at once (each image single-threaded)</param>
/// <param name="Matchers">SGBM matchers fused per hint</param>
/// <param name="SingleMatcher">the one matcher compared</param>
/// <param name="FusedImagesPerSecond">resize + all matchers + photometric fusion</param>
/// <param name="SingleMatcherImagesPerSecond">resize + one SGBM matcher + disparity-to-depth</param>
/// <param name="FusedCoverage">fraction of pixels with a fused hint</param>
/// <param name="SingleMatcherCoverage">fraction of pixels with a disparity from the one matcher</param>
public sealed record DepthHintBenchmarkResult(
    int Images, int Threads, int Matchers, SgbmSettings SingleMatcher,
    double FusedImagesPerSecond, double SingleMatcherImagesPerSecond, double FusedCoverage, double SingleMatcherCoverage)
{
    public override string ToString() =>
        $"{Images} images, {Threads} threads: fused {Matchers} matchers {FusedImagesPerSecond:F2} images/s (coverage {FusedCoverage:P1}); " +
        $"single {SingleMatcher} {SingleMatcherImagesPerSecond:F2} images/s (coverage {SingleMatcherCoverage:P1}); " +
        $"fused costs {SingleMatcherImagesPerSecond / FusedImagesPerSecond:F1}x a single matcher";
}

/// <summary>Times <see cref="DepthHintGenerator"/> against a single OpenCV SGBM matcher on the same stereo pairs.</summary>
public static class DepthHintBenchmark
{
    /// <summary>The single matcher compared by default: block size 3 and 128 disparities, the middle of the bank.</summary>
    public static SgbmSettings DefaultSingleMatcher { get; } = new(3, 128);

    public static DepthHintBenchmarkResult Run(string dataRoot, IReadOnlyList<DepthHintItem> items, DepthHintOptions? options = null,
                                               SgbmSettings? singleMatcher = null, int? threads = null, CancellationToken cancellationToken = default)
    {
        var pairs = items.Select(i => (ImageFile.LoadRgb(i.BaseImagePath(dataRoot)), ImageFile.LoadRgb(i.OtherImagePath(dataRoot)), i.Side)).ToList();
        return Run(pairs, options, singleMatcher, threads, cancellationToken);
    }

    public static DepthHintBenchmarkResult Run(IReadOnlyList<(ByteImage Base, ByteImage Other, StereoSide Side)> pairs, DepthHintOptions? options = null,
                                               SgbmSettings? singleMatcher = null, int? threads = null, CancellationToken cancellationToken = default)
    {
        if (pairs.Count == 0) throw new ArgumentException("no images to time", nameof(pairs));
        int t = Math.Max(1, threads ?? Environment.ProcessorCount);
        var generator = new DepthHintGenerator((options ?? new DepthHintOptions()) with { MaxDegreeOfParallelism = 1 });
        var single = singleMatcher ?? DefaultSingleMatcher;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = t, CancellationToken = cancellationToken };

        var fusedCoverage = new double[pairs.Count];
        var clock = Stopwatch.StartNew();
        Parallel.For(0, pairs.Count, parallel, i =>
            fusedCoverage[i] = generator.Compute(pairs[i].Base, pairs[i].Other, pairs[i].Side, cancellationToken).Coverage);
        double fused = clock.Elapsed.TotalSeconds;

        var singleCoverage = new double[pairs.Count];
        clock.Restart();
        Parallel.For(0, pairs.Count, parallel, i =>
        {
            var (b, o) = generator.Prepare(pairs[i].Base, pairs[i].Other);
            using var bm = b.ToMat();
            using var om = o.ToMat();
            using var matcher = new SgbmDisparity(single);
            var depth = generator.DepthFromDisparity(matcher.Compute(bm, om, pairs[i].Side));
            singleCoverage[i] = depth.Values.Count(v => v > 0) / (double)depth.Values.Length;
        });
        double plain = clock.Elapsed.TotalSeconds;
        return new DepthHintBenchmarkResult(pairs.Count, t, generator.Options.Matchers.Count, single,
            pairs.Count / fused, pairs.Count / plain, fusedCoverage.Average(), singleCoverage.Average());
    }
}

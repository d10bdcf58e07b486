using Mlda.Core.Imaging;
using OpenCvSharp;

namespace Mlda.Core.Hints;

/// <summary>A fused depth hint and how it was made.</summary>
/// <param name="Depth">H×W depth in stereo units (fx·0.1/disparity), 0 where no candidate won with a depth</param>
/// <param name="Winner">per pixel, the index of the winning matcher in <see cref="DepthHintOptions.Matchers"/>; −1 where none</param>
public sealed record DepthHint(FloatMap Depth, int[] Winner)
{
    /// <summary>Share of pixels with a hint (depth &gt; 0).</summary>
    public double Coverage => Depth.Values.Count(v => v > 0) / (double)Depth.Values.Length;
}

/// <summary>
/// Depth hints as depth-hints' <c>precompute_depth_hints.py</c> makes them ("fused SGM"): both views
/// PIL-Lanczos-resized to 1024×320, twelve StereoSGBM disparities of the base view (right views mirrored for
/// matching), each turned into depth = fx·0.1/(disp + 1e-7)·[disp &gt; 0], and per pixel the candidate whose
/// stereo reprojection has the lowest 0.85·SSIM + 0.15·L1 error wins (first candidate on ties, as torch.argmin).
/// Thread-safe; each call makes its own OpenCV matchers.
/// </summary>
public sealed class DepthHintGenerator(DepthHintOptions? options = null)
{
    public DepthHintOptions Options { get; } = options ?? new DepthHintOptions();

    /// <summary>The hint for <paramref name="baseImage"/> (RGB, any size: resized as the reference does).</summary>
    public DepthHint Compute(ByteImage baseImage, ByteImage otherImage, StereoSide baseSide, CancellationToken cancellationToken = default)
    {
        var (b, o) = Prepare(baseImage, otherImage);
        var disparities = Disparities(b, o, baseSide, cancellationToken);
        return Fuse(b, o, baseSide, disparities, cancellationToken);
    }

    /// <summary>Both views at the hint size (PIL Lanczos, 8-bit), unchanged when already that size.</summary>
    public (ByteImage Base, ByteImage Other) Prepare(ByteImage baseImage, ByteImage otherImage)
    {
        ArgumentNullException.ThrowIfNull(baseImage);
        ArgumentNullException.ThrowIfNull(otherImage);
        int w = Options.Width, h = Options.Height;
        var b = baseImage.Width == w && baseImage.Height == h ? baseImage : PilResize.Lanczos(baseImage, w, h);
        var o = otherImage.Width == w && otherImage.Height == h ? otherImage : PilResize.Lanczos(otherImage, w, h);
        return (b, o);
    }

    /// <summary>One disparity map (pixels, ≤ 0 invalid) per matcher, for images already at the hint size.</summary>
    public IReadOnlyList<FloatMap> Disparities(ByteImage baseImage, ByteImage otherImage, StereoSide baseSide, CancellationToken cancellationToken = default)
    {
        var matchers = Options.Matchers;
        var result = new FloatMap[matchers.Count];
        // Images go to OpenCV in the channel order the reference passes them (RGB from PIL).
        using var baseMat = baseImage.ToMat();
        using var otherMat = otherImage.ToMat();
        using var baseMirrored = new Mat();
        using var otherMirrored = new Mat();
        if (baseSide == StereoSide.Right)
        {
            Cv2.Flip(baseMat, baseMirrored, FlipMode.Y);
            Cv2.Flip(otherMat, otherMirrored, FlipMode.Y);
        }
        // Matchers that are equivalent for OpenCV (block sizes 2 and 3) run once and share their map.
        var distinct = matchers.Select(m => m.MatchingEquivalent()).Distinct().ToList();
        var maps = new FloatMap[distinct.Count];
        Parallel.For(0, distinct.Count, ParallelOptions(cancellationToken), i =>
        {
            using var matcher = new SgbmDisparity(distinct[i]);
            maps[i] = baseSide == StereoSide.Left
                ? matcher.ComputeDirect(baseMat, otherMat)
                : matcher.ComputeMirrored(baseMirrored, otherMirrored);
        });
        for (int i = 0; i < matchers.Count; i++) result[i] = maps[distinct.IndexOf(matchers[i].MatchingEquivalent())];
        return result;
    }

    /// <summary>depth-hints' conversion: fx·b/(disp + 1e-7)·[disp &gt; 0], in float32 (so invalid pixels may be −0).</summary>
    public FloatMap DepthFromDisparity(FloatMap disparity)
    {
        float fb = Options.FocalLengthTimesBaseline;
        var depth = new FloatMap(disparity.Height, disparity.Width);
        var d = disparity.Values;
        var z = depth.Values;
        for (int i = 0; i < d.Length; i++) z[i] = fb / (d[i] + 1e-7f) * (d[i] > 0 ? 1f : 0f);
        return depth;
    }

    /// <summary>Per-pixel choice among candidate disparities by stereo photometric error.</summary>
    public DepthHint Fuse(ByteImage baseImage, ByteImage otherImage, StereoSide baseSide, IReadOnlyList<FloatMap> disparities,
                          CancellationToken cancellationToken = default)
    {
        if (disparities.Count == 0) throw new ArgumentException("no candidate disparities", nameof(disparities));
        var error = new StereoPhotometricError(baseImage, otherImage, baseSide, Options.FocalLengthTimesBaseline, Options.SsimWeight);
        int h = baseImage.Height, w = baseImage.Width, n = h * w;
        var depths = new FloatMap[disparities.Count];
        var errors = new float[disparities.Count][];
        // A candidate that is the same map as an earlier one has the same error everywhere and so loses every
        // tie to it (argmin keeps the first): it never wins and is not scored.
        var repeat = new bool[disparities.Count];
        for (int i = 0; i < disparities.Count; i++)
            for (int j = 0; j < i && !repeat[i]; j++)
                repeat[i] = ReferenceEquals(disparities[i], disparities[j]);
        Parallel.For(0, disparities.Count, ParallelOptions(cancellationToken), i =>
        {
            if (repeat[i]) return;
            depths[i] = DepthFromDisparity(disparities[i]);
            errors[i] = new float[n];
            error.Compute(depths[i], errors[i]);
        });
        var hint = new FloatMap(h, w);
        var winner = new int[n];
        bool excludeInvalid = Options.InvalidCandidates == InvalidCandidatePolicy.NeverWin;
        for (int p = 0; p < n; p++)
        {
            int best = -1;
            float bestError = float.PositiveInfinity;
            for (int i = 0; i < depths.Length; i++)
            {
                if (repeat[i]) continue;
                if (excludeInvalid && !(depths[i].Values[p] > 0)) continue;
                // Strict '<' keeps the first of equal errors, as torch.argmin does.
                if (best < 0 || errors[i][p] < bestError)
                {
                    best = i;
                    bestError = errors[i][p];
                }
            }
            hint.Values[p] = best < 0 ? 0f : depths[best].Values[p];
            winner[p] = best >= 0 && hint.Values[p] > 0 ? best : -1;
        }
        return new DepthHint(hint, winner);
    }

    ParallelOptions ParallelOptions(CancellationToken ct) =>
        new() { MaxDegreeOfParallelism = Math.Max(1, Options.MaxDegreeOfParallelism), CancellationToken = ct };
}

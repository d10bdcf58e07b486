namespace Mlda.Core.Hints;

/// <summary>What a candidate without a valid disparity may do in the per-pixel fusion.</summary>
public enum InvalidCandidatePolicy
{
    /// <summary>
    /// A candidate whose disparity is invalid at a pixel cannot win there; the hint is 0 only where no matcher
    /// has a valid disparity (what the depth-hints paper and the issue describe). The default.
    /// </summary>
    NeverWin,

    /// <summary>
    /// depth-hints' code as it is: no mask in the argmin, so a zero-depth candidate competes with the photometric
    /// error of the lookup image's top corner pixel (where <c>Project3D</c> sends a zero depth: u = ±fx·0.1/1e-7
    /// clipped by border padding, v = 0), and wins now and then, leaving a 0 where a valid hint existed.
    /// </summary>
    CompeteAsReference,
}

/// <summary>
/// Settings of the fused-SGM depth hints. Defaults are depth-hints' <c>precompute_depth_hints.py</c>: 1024×320,
/// monodepth2's normalised intrinsics (fx = 0.58·W, cx = 0.5·W), stereo baseline 0.1 ("stereo units"), 12 SGBM
/// matchers, photometric error 0.85·SSIM + 0.15·L1.
/// </summary>
public sealed record DepthHintOptions
{
    public int Width { get; init; } = 1024;
    public int Height { get; init; } = 320;

    /// <summary>monodepth2's K[0,0] as a fraction of the width.</summary>
    public float FocalLengthFraction { get; init; } = 0.58f;

    /// <summary>The nominal stereo baseline the hints' depth is expressed in (mono_dataset.py's 0.1; metres ≈ 5.4 × value).</summary>
    public float StereoBaseline { get; init; } = 0.1f;

    public IReadOnlyList<SgbmSettings> Matchers { get; init; } = SgbmSettings.DepthHintsBank;

    public InvalidCandidatePolicy InvalidCandidates { get; init; } = InvalidCandidatePolicy.NeverWin;

    public float SsimWeight { get; init; } = 0.85f;

    /// <summary>Threads used inside one image (matchers and candidate errors run in parallel); 1 = sequential.</summary>
    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>fx in pixels at <see cref="Width"/>, in float32 as the reference's K matrix holds it.</summary>
    public float FocalLength => FocalLengthFraction * Width;

    /// <summary>fx·baseline, the numerator of depth = fx·b / disparity (float32 product, as torch computes it).</summary>
    public float FocalLengthTimesBaseline => FocalLength * StereoBaseline;
}

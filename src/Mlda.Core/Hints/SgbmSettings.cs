using OpenCvSharp;

namespace Mlda.Core.Hints;

/// <summary>
/// The parameters of one OpenCV <c>StereoSGBM</c> matcher. Defaults are depth-hints'
/// <c>generate_stereo_matchers</c>: P1/P2 come from a fixed "sad_window_size" of 3 (3·3·4 and 3·3·32) whatever
/// the block size; disp12MaxDiff and mode are left at <c>cv2.StereoSGBM_create</c>'s defaults (0, MODE_SGBM).
/// </summary>
public sealed record SgbmSettings(int BlockSize, int NumDisparities)
{
    public int MinDisparity { get; init; }
    public int P1 { get; init; } = 3 * 3 * 4;
    public int P2 { get; init; } = 3 * 3 * 32;
    public int Disp12MaxDiff { get; init; }
    public int PreFilterCap { get; init; } = 63;
    public int UniquenessRatio { get; init; } = 10;
    public int SpeckleWindowSize { get; init; } = 100;
    public int SpeckleRange { get; init; } = 16;
    public StereoSGBMMode Mode { get; init; } = StereoSGBMMode.SGBM;

    /// <summary>depth-hints' 12 matchers, in its order: block size 1, 2, 3 (outer) × 64, 96, 128, 160 disparities (inner).</summary>
    public static IReadOnlyList<SgbmSettings> DepthHintsBank { get; } =
        [.. from b in new[] { 1, 2, 3 } from n in new[] { 64, 96, 128, 160 } select new SgbmSettings(b, n)];

    /// <summary>
    /// Settings that give the same disparities. OpenCV's <c>computeDisparitySGBM</c> uses the block size only as
    /// its half-width (<c>SW2 = SADWindowSize.width/2</c>), so in MODE_SGBM block sizes 2 and 3 match identically
    /// (checked on the real sample: 32 of 32 maps equal; a test keeps checking it). depth-hints' bank therefore
    /// holds 8 distinct matchers, not 12.
    /// </summary>
    public SgbmSettings MatchingEquivalent() => Mode == StereoSGBMMode.SGBM ? this with { BlockSize = BlockSize / 2 * 2 + 1 } : this;

    public StereoSGBM CreateMatcher() => StereoSGBM.Create(
        MinDisparity, NumDisparities, BlockSize, P1, P2, Disp12MaxDiff, PreFilterCap, UniquenessRatio,
        SpeckleWindowSize, SpeckleRange, Mode);

    public override string ToString() => $"SGBM(block {BlockSize}, {NumDisparities} disparities)";
}

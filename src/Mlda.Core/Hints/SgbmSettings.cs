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

    public StereoSGBM CreateMatcher() => StereoSGBM.Create(
        MinDisparity, NumDisparities, BlockSize, P1, P2, Disp12MaxDiff, PreFilterCap, UniquenessRatio,
        SpeckleWindowSize, SpeckleRange, Mode);

    public override string ToString() => $"SGBM(block {BlockSize}, {NumDisparities} disparities)";
}

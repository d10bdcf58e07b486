namespace Mlda.Training;

/// <summary>
/// What a training or validation item holds (reference <c>mono_dataset.py</c> <c>__getitem__</c>).
/// </summary>
/// <param name="Height">network input height (multiple of 32)</param>
/// <param name="Width">network input width (multiple of 32)</param>
/// <param name="NumScales">chained-resize scales of the target frame (reference: 4)</param>
/// <param name="TemporalOffsets">neighbouring frames used as sources (reference: −1, +1; empty for stereo only)</param>
/// <param name="UseStereo">load frame 's', the other camera at the same index</param>
/// <param name="HintPath">root of the precomputed depth hints, or null for none</param>
/// <param name="LoadGroundTruth">build LiDAR ground truth (validation), where the Velodyne scan exists</param>
/// <param name="CacheImages">keep decoded, resized images in memory (small sets, low resolution)</param>
/// <param name="JitterPerImage">
/// draw a new colour jitter for every frame (what the Paddle reference's <c>mono_dataset.py</c> <c>preprocess</c> does by accident) instead of one
/// jitter shared by the item's frames (monodepth2, depth-hints, the paper)
/// </param>
public sealed record DatasetOptions(
    int Height,
    int Width,
    int NumScales = 4,
    int[]? TemporalOffsets = null,
    bool UseStereo = true,
    string? HintPath = null,
    bool LoadGroundTruth = false,
    bool CacheImages = false,
    bool JitterPerImage = false)
{
    public int[] Offsets => TemporalOffsets ?? [-1, 1];
}

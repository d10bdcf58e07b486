using Mlda.Core.Imaging;

namespace Mlda.Training;

/// <summary>
/// One prepared item, CPU arrays in CHW order with values in [0, 1]. <see cref="Sources"/> and
/// <see cref="SourcesAugmented"/> follow <see cref="SourceFrame.For"/>.
/// </summary>
public sealed class TrainingSample
{
    public required float[] Target { get; init; }                 // ("color", 0, 0)
    public required float[] TargetAugmented { get; init; }        // ("color_aug", 0, 0)
    public required float[][] TargetScales { get; init; }         // ("color", 0, s) for s = 1..NumScales−1
    public required float[][] Sources { get; init; }              // ("color", f, 0)
    public required float[][] SourcesAugmented { get; init; }     // ("color_aug", f, 0)
    /// <summary>The item's intrinsics at the network size, row-major homogeneous 4×4 (<c>("K", 0)</c>).</summary>
    public required float[] K { get; init; }
    public float[]? Hint { get; init; }                           // H×W, depth in 0.1-baseline units, 0 = invalid
    /// <summary>T[0,3] of the stereo transform: side_sign · baseline_sign · 0.1 (spec §1.1).</summary>
    public float StereoShift { get; init; }
    public bool Flipped { get; init; }
    /// <summary>The Eigen evaluation's ground truth at the native image size (flipped with the item), or null.</summary>
    public FloatMap? GroundTruth { get; init; }
    /// <summary>
    /// The reference validation metric's ground truth (<c>("depth_gt")</c>, <c>trainer.py compute_depth_losses</c>)
    /// at 375×1242 (flipped with the item), or null.
    /// </summary>
    public FloatMap? ValidationGroundTruth { get; init; }
    public int Index { get; init; }
}

using System.Text.Json.Serialization;
using Mlda.Core.Prediction;

namespace Mlda.Networks;

/// <summary>
/// What a checkpoint is: the architecture that rebuilds it (the input size, any height and width divisible by 32,
/// the reference being fixed at 192x640; the pose encoder; the depth range of <c>disp_to_depth</c>; the disparity
/// scales) and the <see cref="TrainingMode"/> it was trained with (<c>M</c>, <c>S</c> or <c>MS</c>), which decides
/// whether its depth is metric. Saved in every checkpoint folder as <c>options.json</c>. Checkpoints saved before
/// the mode was recorded read as null: whoever needs the scale must then be told the mode (<c>--mode</c>).
/// </summary>
public sealed record ModelOptions(
    int Height = 192,
    int Width = 640,
    PoseEncoderKind PoseEncoder = PoseEncoderKind.Mlda,
    double MinDepth = 0.1,
    double MaxDepth = 100,
    int[]? Scales = null,
    string? TrainingMode = null)
{
    /// <summary>The disparity scales the decoder outputs: <see cref="Scales"/>, or the reference's 0..3.</summary>
    [JsonIgnore]
    public int[] EffectiveScales => Scales ?? [0, 1, 2, 3];

    /// <summary>Throws <see cref="ArgumentException"/> for a size the encoder cannot take or unusable scales.</summary>
    public void Validate()
    {
        // Five stride-2 stages: every level must have an integer size, and the decoder's reflection padding needs
        // at least 2 pixels at 1/32 scale. (The reference also asserts more than 5 pixels there for its cumsum box
        // filter; the pooling box filter here is exact at any size.)
        if (Height < 64 || Width < 64 || Height % 32 != 0 || Width % 32 != 0)
            throw new ArgumentException($"height and width must be multiples of 32, at least 64, got {Width}x{Height}");
        if (!(MinDepth > 0 && MaxDepth > MinDepth))
            throw new ArgumentException($"need 0 < min depth < max depth, got {MinDepth} and {MaxDepth}");
        var scales = EffectiveScales;
        // The decoder returns disparities indexed by scale, so the scales are 0..k (monodepth2 uses a prefix too).
        if (scales.Length == 0 || scales.Length > 4 || scales.Where((s, i) => s != i).Any())
            throw new ArgumentException($"scales must be 0..k with k <= 3, got [{string.Join(",", scales)}]");
        if (TrainingMode is not null && !Core.Prediction.TrainingMode.IsValid(TrainingMode))
            throw new ArgumentException($"training mode must be one of {string.Join(", ", Core.Prediction.TrainingMode.All)}, got '{TrainingMode}'");
    }
}

using Mlda.Checkpoints;
using Mlda.Core;
using Mlda.Core.Prediction;
using Mlda.Networks;

namespace Mlda.Prediction;

/// <summary>
/// How a checkpoint's disparity becomes depth, decided by the checkpoint itself: its <c>options.json</c> records the
/// <see cref="TrainingMode"/>, and a model trained with stereo gives metres (×5.4), a mono one relative depth, wherever
/// the folder has been copied. A checkpoint saved before the mode was recorded needs the mode from the user.
/// </summary>
public static class CheckpointScaling
{
    /// <summary>
    /// <paramref name="given"/> (the user's <c>--mode</c>, M/S/MS) when set, else the mode recorded in
    /// <paramref name="weightsDir"/>/options.json; an <see cref="InputException"/> naming that file when neither exists.
    /// </summary>
    public static string TrainingModeOf(string weightsDir, ModelOptions options, string? given)
    {
        if (given is not null)
            return TrainingMode.Parse(given) ?? throw new InputException(null, $"training mode '{given}' is not one of {string.Join(", ", TrainingMode.All)}");
        return options.TrainingMode ?? throw new InputException(Path.Combine(weightsDir, Checkpoint.OptionsFile),
            $"records no training mode (a checkpoint saved before checkpoints recorded it): give --mode {string.Join(", ", TrainingMode.All)}");
    }

    /// <summary>The depth conversion of a checkpoint: its depth range, ×5.4 when trained with stereo, or <paramref name="userScale"/>.</summary>
    public static DepthScaling For(string weightsDir, ModelOptions options, string? givenMode = null, double? userScale = null)
    {
        if (userScale is not null) return new DepthScaling(options.MinDepth, options.MaxDepth, userScale);
        return new DepthScaling(options.MinDepth, options.MaxDepth, TrainingMode.MetricScale(TrainingModeOf(weightsDir, options, givenMode)));
    }
}

namespace Mlda.Core.Evaluation;

/// <summary>How predictions are brought to metric scale.</summary>
public enum EvaluationMode
{
    /// <summary>Per-image median scaling (monodepth2 <c>--eval_mono</c>).</summary>
    Mono,

    /// <summary>Fixed ×5.4 (0.54 m KITTI baseline over the 0.1 training baseline), no median scaling (<c>--eval_stereo</c>).</summary>
    Stereo,
}

/// <summary>Which pixels count.</summary>
public enum EvaluationMask
{
    /// <summary>monodepth2's <c>eigen</c> split: 1e-3 &lt; gt &lt; 80 and the Garg/Eigen crop.</summary>
    Eigen,

    /// <summary>Every other split: gt &gt; 0, no crop and no 80 m cap on the ground truth.</summary>
    ValidGroundTruth,

    /// <summary>Scene folders: 0 &lt; gt &lt; <see cref="EvaluationOptions.DepthCap"/>, no crop (ground truth of any camera).</summary>
    ValidBelowCap,
}

/// <summary>Options of the Eigen protocol; the defaults are monodepth2's.</summary>
public sealed record EvaluationOptions(EvaluationMode Mode = EvaluationMode.Mono, EvaluationMask Mask = EvaluationMask.Eigen)
{
    public const double MinDepth = 1e-3;
    public const double MaxDepth = 80;

    /// <summary>monodepth2's STEREO_SCALE_FACTOR.</summary>
    public const double StereoScaleFactor = 5.4;

    /// <summary>The fixed scale of <see cref="EvaluationMode.Stereo"/> (monodepth2's ×5.4 unless a model's own metric scale is known).</summary>
    public double FixedScale { get; init; } = StereoScaleFactor;

    /// <summary>Predictions are clamped to [1e-3, DepthCap]; <see cref="EvaluationMask.Eigen"/> and <see cref="EvaluationMask.ValidBelowCap"/> drop ground truth beyond it (monodepth2: 80 m).</summary>
    public double DepthCap { get; init; } = MaxDepth;
}

namespace Mlda.Core.Prediction;

/// <summary>
/// From the network's sigmoid output to depth (monodepth2/MLDA <c>disp_to_depth</c>):
/// scaled = 1/max + (1/min − 1/max)·σ, depth = 1/scaled, in the training's units. Stereo-trained models
/// learn a 0.1 baseline, so metres ≈ 5.4 × depth (monodepth2 <c>STEREO_SCALE_FACTOR</c>); a mono-only model
/// has no scale and a user factor (or per-image median scaling against LiDAR) is needed.
/// </summary>
public sealed record DepthScaling(double MinDepth = 0.1, double MaxDepth = 100, double? MetricScale = null)
{
    public const double StereoScaleFactor = 5.4;

    public bool IsMetric => MetricScale is not null;

    public double ScaledDisparity(double sigmoid) => 1.0 / MaxDepth + (1.0 / MinDepth - 1.0 / MaxDepth) * sigmoid;

    /// <summary>Depth in the training units (or metres when <see cref="MetricScale"/> is set).</summary>
    public float Depth(float sigmoid) => (float)(1.0 / ScaledDisparity(sigmoid) * (MetricScale ?? 1.0));
}

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

    /// <summary>
    /// The scaled disparity as <c>disp_to_depth</c> computes it on a float32 tensor (<c>min_disp + (max_disp −
    /// min_disp) * disp</c>: each Python float rounded to float32, one float32 multiply, one float32 add), so it
    /// equals the TorchSharp networks' <c>DispToDepth</c> bit for bit.
    /// </summary>
    public float ScaledDisparity(float sigmoid)
    {
        double minDisp = 1.0 / MaxDepth, maxDisp = 1.0 / MinDepth;
        float product = sigmoid * (float)(maxDisp - minDisp);
        return product + (float)minDisp;
    }

    /// <summary>Depth in the training units (or metres when <see cref="MetricScale"/> is set): float32, as test_simple.py's <c>STEREO_SCALE_FACTOR * depth</c>.</summary>
    public float Depth(float sigmoid)
    {
        float depth = 1f / ScaledDisparity(sigmoid);
        return MetricScale is double s ? (float)s * depth : depth;
    }
}

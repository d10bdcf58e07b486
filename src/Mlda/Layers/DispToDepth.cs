using static TorchSharp.torch;

namespace Mlda.Layers;

/// <summary>
/// The network's sigmoid output to depth (<c>layers.py</c> <c>disp_to_depth</c>):
/// scaled_disp = 1/max + (1/min − 1/max)·σ, depth = 1/scaled_disp. With min 0.1 and max 100 the depth lies in
/// [0.1, 100] "stereo units" (baseline 0.1), so metres ≈ 5.4 × depth.
/// </summary>
public static class DispToDepth
{
    public static (Tensor ScaledDisparity, Tensor Depth) Convert(Tensor sigmoidDisparity, double minDepth, double maxDepth)
    {
        double minDisp = 1.0 / maxDepth, maxDisp = 1.0 / minDepth;
        var scaled = sigmoidDisparity * (maxDisp - minDisp) + minDisp;
        return (scaled, scaled.reciprocal());
    }

    /// <summary>The inverse map, depth to the sigmoid value that produces it (used to seed tests and baselines).</summary>
    public static Tensor ToSigmoid(Tensor depth, double minDepth, double maxDepth)
    {
        double minDisp = 1.0 / maxDepth, maxDisp = 1.0 / minDepth;
        return (depth.reciprocal() - minDisp) / (maxDisp - minDisp);
    }
}

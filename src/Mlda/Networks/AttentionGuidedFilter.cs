using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Mlda.Networks;

/// <summary>
/// The attention-weighted fast guided filter (reference <c>FastGuidedFilter_attention</c>, r = 2, eps = 0.01),
/// computed in float64 as the reference does, output cast back to the input's type (float32 in the networks; float64 when
/// the whole network runs in float64 as the export's exact reference).
/// Deviation: the reference's box filter is cumsum-and-difference (the source of the Paddle 2.3 cumsum trouble);
/// here the window mean box(x)/N is an average pool that excludes the padding, which is the same truncated window
/// sum divided by the in-image count, exactly and at any size.
/// The normaliser t = w / Σw sums over the whole batch tensor, as the reference (<c>depth_decoder_sa_edge.py</c> <c>FastGuidedFilter_attention</c>).
/// </summary>
public static class AttentionGuidedFilter
{
    public const int Radius = 2;
    public const double Eps = 1e-2;
    const double WeightFloor = 1e-12;

    /// <summary>box(x)/N: the mean over the (2r+1)² window clipped to the image.</summary>
    public static Tensor BoxMean(Tensor x, int radius = Radius) =>
        functional.avg_pool2d(x, 2 * radius + 1, stride: 1, padding: radius, count_include_pad: false);

    /// <summary>N: the number of in-image pixels in each window ([1,1,h,w], same dtype and device as the reference tensor).</summary>
    public static Tensor WindowCount(long h, long w, ScalarType dtype, Device device, int radius = Radius)
    {
        using var ones = torch.ones(1, 1, h, w, dtype: dtype, device: device);
        var k = 2 * radius + 1;
        using var mean = functional.avg_pool2d(ones, k, stride: 1, padding: radius, count_include_pad: true);
        return mean * (k * k);
    }

    /// <summary>
    /// lowX: [B,C,h,w] (half-resolution copy of the high-res features), lowY: [B,C,h,w] (low-res decoder features),
    /// highX: [B,C,2h,2w], attention: [B,1,h,w]. Returns [B,C,2h,2w] of highX's type.
    /// </summary>
    public static Tensor Apply(Tensor lowX, Tensor lowY, Tensor highX, Tensor attention)
    {
        using var scope = NewDisposeScope();
        var x = lowX.to_type(ScalarType.Float64);
        var y = lowY.to_type(ScalarType.Float64);
        var hr = highX.to_type(ScalarType.Float64);
        var a = attention.to_type(ScalarType.Float64).abs() + WeightFloor;
        var n = WindowCount(x.shape[2], x.shape[3], ScalarType.Float64, x.device);
        var t = a / a.sum();

        var meanA = BoxMean(a);
        var meanAaxy = BoxMean(a * a * x * y);
        var meanTax = BoxMean(t * a * x);
        var meanAy = BoxMean(a * y);
        var meanAaxx = BoxMean(a * a * x * x);
        var meanAx = BoxMean(a * x);

        var gain = (meanAaxy - n * meanTax * meanAy) / ((meanAaxx - n * meanTax * meanAx).abs() + Eps);
        var offset = (meanAy - gain * meanAx) / meanA;
        long[] size = [hr.shape[2], hr.shape[3]];
        var upGain = functional.interpolate(BoxMean(gain), size, mode: InterpolationMode.Bilinear, align_corners: false);
        var upOffset = functional.interpolate(BoxMean(offset), size, mode: InterpolationMode.Bilinear, align_corners: false);
        return (upGain * hr + upOffset).to_type(highX.dtype).MoveToOuterDisposeScope();
    }
}

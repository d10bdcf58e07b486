using Mlda.Networks;

namespace Mlda.Export;

/// <summary>
/// The attention-weighted fast guided filter (<see cref="AttentionGuidedFilter"/>) in float64, as the networks
/// compute it. ONNX Runtime has no float64 AveragePool or Resize, so the two float64 steps are written with
/// operators that do have float64 kernels and compute the same numbers:
/// the box mean is the sum of the 2r+1 shifted copies of the zero-padded map, once per axis, divided by the
/// in-image count N; the ×2 bilinear upsampling (half-pixel, edge-clamped) is the fixed
/// 0.25/0.75 blend of each pixel with its clamped neighbour, interleaved, once per axis.
/// The normaliser t = w/Σw sums over the whole batch tensor (ReduceSum over every axis), as the reference.
/// </summary>
public static class GuidedFilterGraph
{
    /// <summary>
    /// lowX, lowY: [B,C,h,w]; highX: [B,C,2h,2w]; attention: [B,1,h,w], all float32. Returns [B,C,2h,2w] float32.
    /// </summary>
    public static string Write(OnnxGraph g, string lowX, string lowY, string highX, string attention, long channels, int h, int w)
    {
        var x = OnnxLayers.ToDouble(g, lowX);
        var y = OnnxLayers.ToDouble(g, lowY);
        var hr = OnnxLayers.ToDouble(g, highX);
        var a = g.Node("Add", [g.Node("Abs", [OnnxLayers.ToDouble(g, attention)]), g.ScalarDouble("weight_floor", 1e-12)]);
        var n = g.Initializer("window_count", WindowCount(h, w), 1, 1, h, w);
        var t = g.Node("Div", [a, g.Node("ReduceSum", [a], ("keepdims", 0L))]);

        string Mul(string p, string q) => g.Node("Mul", [p, q]);

        // The six window means go through one box filter: stacked on the channel axis (1 + 5C channels), then split.
        var stacked = g.Node("Concat", [a, Mul(Mul(Mul(a, a), x), y), Mul(Mul(t, a), x), Mul(a, y), Mul(Mul(Mul(a, a), x), x), Mul(a, x)], ("axis", 1L));
        var means = g.Node("Split", [BoxMean(g, stacked, n, h, w), g.Int64s(1, channels, channels, channels, channels, channels)], 6, ("axis", 1L));
        var (meanA, meanAaxy, meanTax, meanAy, meanAaxx, meanAx) = (means[0], means[1], means[2], means[3], means[4], means[5]);

        var numerator = g.Node("Sub", [meanAaxy, Mul(Mul(n, meanTax), meanAy)]);
        var denominator = g.Node("Add", [g.Node("Abs", [g.Node("Sub", [meanAaxx, Mul(Mul(n, meanTax), meanAx)])]), g.ScalarDouble("eps", AttentionGuidedFilter.Eps)]);
        var gain = g.Node("Div", [numerator, denominator]);
        var offset = g.Node("Div", [g.Node("Sub", [meanAy, Mul(gain, meanAx)]), meanA]);
        // Ā and b̄: one box filter and one upsampling for both.
        var coefficients = g.Node("Concat", [gain, offset], ("axis", 1L));
        var up = g.Node("Split", [Upsample2x(g, BoxMean(g, coefficients, n, h, w), 2 * channels, h, w), g.Int64s(channels, channels)], 2, ("axis", 1L));
        var (upGain, upOffset) = (up[0], up[1]);
        return OnnxLayers.ToFloat(g, g.Node("Add", [Mul(upGain, hr), upOffset]));
    }

    /// <summary>N: how many pixels of the (2r+1)² window lie inside an h×w image.</summary>
    public static double[] WindowCount(int h, int w, int radius = AttentionGuidedFilter.Radius)
    {
        var n = new double[h * w];
        for (int i = 0; i < h; i++)
        for (int j = 0; j < w; j++)
        {
            int rows = Math.Min(i + radius, h - 1) - Math.Max(i - radius, 0) + 1;
            int cols = Math.Min(j + radius, w - 1) - Math.Max(j - radius, 0) + 1;
            n[i * w + j] = rows * cols;
        }
        return n;
    }

    /// <summary>box(v)/N with box the window sum truncated at the borders, for [B,C,h,w] float64.</summary>
    static string BoxMean(OnnxGraph g, string v, string n, int h, int w)
    {
        var sum = WindowSum(g, WindowSum(g, v, 2, h), 3, w);
        return g.Node("Div", [sum, n]);
    }

    /// <summary>
    /// Window sum along one axis: with xp = [0 (r times), x, 0 (r times)], sum x[i−r..i+r] = Σₖ xp[i+k], k = 0..2r,
    /// at any length (zeros stand for the missing pixels). Not the reference's cumulative-sum difference: where the
    /// attention is near zero (down to 1e-16 in trained models) a window's sum is far below the running total and
    /// the difference C[i+2r+1] − C[i] keeps none of its digits; the offset then divides it by the window's mean
    /// attention. That put 4.7e-4 between this graph and the networks' direct window sums on a trained model.
    /// </summary>
    static string WindowSum(OnnxGraph g, string v, int axis, int length)
    {
        int r = AttentionGuidedFilter.Radius;
        var pads = new long[8];
        pads[axis] = r;
        pads[4 + axis] = r;
        var padded = g.Node("Pad", [v, g.Int64s(pads)], ("mode", "constant"));
        string? sum = null;
        for (int k = 0; k <= 2 * r; k++)
        {
            var shifted = g.Node("Slice", [padded, g.Int64s(k), g.Int64s(k + length), g.Int64s(axis)]);
            sum = sum is null ? shifted : g.Node("Add", [sum, shifted]);
        }
        return sum!;
    }

    /// <summary>
    /// ×2 bilinear upsampling with half-pixel centres (torch align_corners=False) of [B,C,h,w]: output 2i is
    /// 0.75·x[i] + 0.25·x[i−1] and 2i+1 is 0.75·x[i] + 0.25·x[i+1], neighbours clamped at the border.
    /// </summary>
    public static string Upsample2x(OnnxGraph g, string v, long channels, int h, int w)
    {
        var rows = Interleave(g, v, 2, h, channels, [0, channels, 2L * h, w]);
        return Interleave(g, rows, 3, w, channels, [0, channels, 2L * h, 2L * w]);
    }

    static string Interleave(OnnxGraph g, string v, int axis, int length, long channels, long[] outShape)
    {
        _ = channels;
        // Edge-padded by one on this axis: [x0, x0 .. x(n-1), x(n-1)]; the clamped neighbours are two slices of it.
        var pads = new long[8];
        pads[axis] = 1;
        pads[4 + axis] = 1;
        var padded = g.Node("Pad", [v, g.Int64s(pads)], ("mode", "edge"));
        string previous = g.Node("Slice", [padded, g.Int64s(0), g.Int64s(length), g.Int64s(axis)]);
        string next = g.Node("Slice", [padded, g.Int64s(2), g.Int64s(length + 2), g.Int64s(axis)]);
        var quarter = g.ScalarDouble("quarter", 0.25);
        var threeQuarters = g.ScalarDouble("three_quarters", 0.75);
        var centre = g.Node("Mul", [v, threeQuarters]);
        var even = g.Node("Add", [centre, g.Node("Mul", [previous, quarter])]);
        var odd = g.Node("Add", [centre, g.Node("Mul", [next, quarter])]);
        var stacked = g.Node("Concat", [g.Node("Unsqueeze", [even, g.Int64s(axis + 1)]), g.Node("Unsqueeze", [odd, g.Int64s(axis + 1)])], ("axis", (long)(axis + 1)));
        return g.Node("Reshape", [stacked, g.Int64s(outShape)]);
    }
}

using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Mlda.Export;

/// <summary>
/// ONNX counterparts of the TorchSharp layers MLDA-Net uses, each written so that ONNX Runtime computes what
/// TorchSharp computes (same coordinate conventions for every resize, batch norm folded into the preceding
/// convolution in float64). Every method takes the name of a float32 NCHW value and returns the new value's name.
/// </summary>
public static class OnnxLayers
{
    /// <summary>Convolution with zero padding as configured in <paramref name="conv"/>, batch norm folded in when given.</summary>
    public static string Conv(OnnxGraph g, string x, Conv2d conv, BatchNorm2d? bn = null, string hint = "conv")
    {
        if (conv.padding_mode != PaddingModes.Zeros)
            throw new NotSupportedException($"{hint}: padding mode {conv.padding_mode}; pad explicitly before the convolution");
        if (conv.padding_type is not null && conv.padding_type != Padding.Valid)
            throw new NotSupportedException($"{hint}: symbolic padding {conv.padding_type}");
        var (w, b) = FoldedWeights(conv, bn);
        var k = conv.kernel_size;
        var p = conv.padding ?? [0, 0];
        var wName = g.Initializer(hint + "_w", w, conv.out_channels, conv.in_channels / conv.groups, k[0], k[1]);
        var bName = g.Initializer(hint + "_b", b, conv.out_channels);
        return g.Node("Conv", [x, wName, bName],
            ("kernel_shape", k.ToArray()),
            ("strides", conv.stride.ToArray()),
            ("dilations", conv.dilation.ToArray()),
            ("group", conv.groups),
            ("pads", new[] { p[0], p[1], p[0], p[1] }));
    }

    /// <summary>
    /// Weights and bias of conv∘bn (eval mode): W' = W·γ/√(var+ε), b' = (b − mean)·γ/√(var+ε) + β, computed in float64.
    /// </summary>
    public static (float[] Weight, float[] Bias) FoldedWeights(Conv2d conv, BatchNorm2d? bn)
    {
        using var scope = NewDisposeScope();
        var w = conv.weight!.detach().to(ScalarType.Float64).cpu();
        var b = conv.bias is null ? zeros(conv.out_channels, dtype: ScalarType.Float64) : conv.bias.detach().to(ScalarType.Float64).cpu();
        if (bn is not null)
        {
            var mean = bn.running_mean!.detach().to(ScalarType.Float64).cpu();
            var var_ = bn.running_var!.detach().to(ScalarType.Float64).cpu();
            var gamma = bn.weight is null ? ones_like(mean) : bn.weight.detach().to(ScalarType.Float64).cpu();
            var beta = bn.bias is null ? zeros_like(mean) : bn.bias.detach().to(ScalarType.Float64).cpu();
            var s = gamma / (var_ + bn.eps).sqrt();
            w = w * s.reshape(-1, 1, 1, 1);
            b = (b - mean) * s + beta;
        }
        return (w.to(ScalarType.Float32).contiguous().data<float>().ToArray(), b.to(ScalarType.Float32).contiguous().data<float>().ToArray());
    }

    public static string Relu(OnnxGraph g, string x) => g.Node("Relu", [x]);

    public static string Sigmoid(OnnxGraph g, string x) => g.Node("Sigmoid", [x]);

    public static string Elu(OnnxGraph g, string x, double alpha = 1.0) => g.Node("Elu", [x], ("alpha", (float)alpha));

    public static string Add(OnnxGraph g, string a, string b) => g.Node("Add", [a, b]);

    public static string Concat(OnnxGraph g, params string[] xs) => g.Node("Concat", xs, ("axis", 1L));

    public static string MaxPool(OnnxGraph g, string x, long kernel, long stride, long padding) =>
        g.Node("MaxPool", [x],
            ("kernel_shape", new[] { kernel, kernel }),
            ("strides", new[] { stride, stride }),
            ("pads", new[] { padding, padding, padding, padding }));

    /// <summary>Reflection padding on H and W (torch ReflectionPad2d / Paddle Pad2D reflect).</summary>
    public static string ReflectPad(OnnxGraph g, string x, long pad) =>
        g.Node("Pad", [x, g.Int64s(0, 0, pad, pad, 0, 0, pad, pad)], ("mode", "reflect"));

    /// <summary>
    /// Bilinear resize to a fixed size. <paramref name="alignCorners"/> true is torch's align_corners=True
    /// (the encoder's side path); false is half-pixel centres (torch/Paddle default). No antialiasing, as torch.
    /// </summary>
    public static string ResizeBilinear(OnnxGraph g, string x, long height, long width, bool alignCorners)
    {
        // Sizes need the batch: take it from the input's shape so the batch stays dynamic.
        var shape = g.Node("Shape", [x]);
        var nc = g.Node("Slice", [shape, g.Int64s(0), g.Int64s(2), g.Int64s(0)]);
        var sizes = g.Node("Concat", [nc, g.Int64s(height, width)], ("axis", 0L));
        return g.Node("Resize", [x, "", "", sizes],
            ("mode", "linear"),
            ("coordinate_transformation_mode", alignCorners ? "align_corners" : "half_pixel"));
    }

    /// <summary>
    /// Bilinear resize written as two gathers and a blend per axis (width first, then height), with the source
    /// indices and weights computed exactly as ATen's CPU kernel computes them in float32
    /// (scale = (in−1)/(out−1) or in/out, src = scale·dst or scale·(dst+0.5)−0.5 clamped at 0,
    /// λ = src − ⌊src⌋), and the same evaluation order h0·(w0·x00 + w1·x01) + h1·(w0·x10 + w1·x11).
    /// ONNX Resize computes the source coordinate in another order, which on high-frequency input differs by
    /// ~1e-5 and is amplified by the layers that follow; this form agrees to float rounding.
    /// </summary>
    public static string ResizeBilinearExact(OnnxGraph g, string x, int inHeight, int inWidth, int outHeight, int outWidth, bool alignCorners)
    {
        var alongWidth = ResizeAxis(g, x, 3, inWidth, outWidth, alignCorners);
        return ResizeAxis(g, alongWidth, 2, inHeight, outHeight, alignCorners);
    }

    static string ResizeAxis(OnnxGraph g, string x, int axis, int inSize, int outSize, bool alignCorners)
    {
        if (inSize == outSize) return x;
        var i0 = new long[outSize];
        var i1 = new long[outSize];
        var w0 = new float[outSize];
        var w1 = new float[outSize];
        float scale = alignCorners
            ? (outSize > 1 ? (float)(inSize - 1) / (outSize - 1) : 0f)
            : (float)inSize / outSize;
        for (int d = 0; d < outSize; d++)
        {
            float src = alignCorners ? scale * d : Math.Max(scale * (d + 0.5f) - 0.5f, 0f);
            long index = Math.Min((long)MathF.Floor(src), inSize - 1);
            float lambda = Math.Min(Math.Max(src - index, 0f), 1f);
            i0[d] = index;
            i1[d] = index + (index < inSize - 1 ? 1 : 0);
            w0[d] = 1f - lambda;
            w1[d] = lambda;
        }
        long[] weightShape = axis == 3 ? [1, 1, 1, outSize] : [1, 1, outSize, 1];
        var x0 = g.Node("Gather", [x, g.Int64s(i0)], ("axis", (long)axis));
        var x1 = g.Node("Gather", [x, g.Int64s(i1)], ("axis", (long)axis));
        var a = g.Node("Mul", [g.Initializer("resize_w0", w0, weightShape), x0]);
        var b = g.Node("Mul", [g.Initializer("resize_w1", w1, weightShape), x1]);
        return g.Node("Add", [a, b]);
    }

    /// <summary>Nearest ×2 upsampling as torch's interpolate(scale_factor=2, mode=nearest): source = floor(dst/2).</summary>
    public static string UpsampleNearest2x(OnnxGraph g, string x) =>
        g.Node("Resize", [x, "", g.Initializer("scales", new float[] { 1, 1, 2, 2 }, 4)],
            ("mode", "nearest"),
            ("coordinate_transformation_mode", "asymmetric"),
            ("nearest_mode", "floor"));

    /// <summary>
    /// The GA block (channel attention): K,Q,V 3x3 convs (written as one conv with 3C outputs, then split),
    /// S = Q·Vᵀ, A = softmax(S, last axis), O = Aᵀ·K, Y = conv1x1(X + O).
    /// </summary>
    public static string GlobalAttention(OnnxGraph g, string x, Conv2d k, Conv2d q, Conv2d v, Conv2d localWeight, long channels, long height, long width, string hint)
    {
        var (wk, _) = FoldedWeights(k, null);
        var (wq, _) = FoldedWeights(q, null);
        var (wv, _) = FoldedWeights(v, null);
        var w = new float[wk.Length * 3];
        wk.CopyTo(w, 0);
        wq.CopyTo(w, wk.Length);
        wv.CopyTo(w, 2 * wk.Length);
        var kqvW = g.Initializer(hint + "_kqv_w", w, 3 * channels, channels, 3, 3);
        var kqv = g.Node("Conv", [x, kqvW], ("kernel_shape", new long[] { 3, 3 }), ("pads", new long[] { 1, 1, 1, 1 }));
        var flat = g.Node("Reshape", [kqv, g.Int64s(0, 3 * channels, height * width)]);
        var parts = g.Node("Split", [flat, g.Int64s(channels, channels, channels)], 3, ("axis", 1L));
        var (kf, qf, vf) = (parts[0], parts[1], parts[2]);
        var s = g.Node("MatMul", [qf, g.Node("Transpose", [vf], ("perm", new long[] { 0, 2, 1 }))]);
        var a = g.Node("Softmax", [s], ("axis", -1L));
        var o = g.Node("MatMul", [g.Node("Transpose", [a], ("perm", new long[] { 0, 2, 1 })), kf]);
        var o4 = g.Node("Reshape", [o, g.Int64s(0, channels, height, width)]);
        return Conv(g, Add(g, x, o4), localWeight, null, hint + "_local");
    }

    /// <summary>Casts between float32 (1) and float64 (11).</summary>
    public static string ToDouble(OnnxGraph g, string x) => g.Node("Cast", [x], ("to", 11L));

    public static string ToFloat(OnnxGraph g, string x) => g.Node("Cast", [x], ("to", 1L));
}

using Mlda.Networks;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Mlda.Tests.Networks;

/// <summary>The layers against literal transcriptions of the reference's operations.</summary>
public class NetworkLayerTests
{
    // The reference's BoxFilter: cumsum along H, difference, cumsum along W, difference (window sum, clipped).
    static Tensor Diff(Tensor x, int dim, int r)
    {
        var n = x.shape[dim];
        var left = x.narrow(dim, r, r + 1);
        var middle = x.narrow(dim, 2 * r + 1, n - 2 * r - 1) - x.narrow(dim, 0, n - 2 * r - 1);
        var right = x.narrow(dim, n - 1, 1) - x.narrow(dim, n - 2 * r - 1, r);
        return cat([left, middle, right], dim);
    }
    static Tensor CumsumBox(Tensor x, int r = 2) => Diff(Diff(x.cumsum(2), 2, r).cumsum(3), 3, r);

    [Theory]
    [InlineData(7, 9)]
    [InlineData(12, 40)]
    [InlineData(6, 20)]
    public void Pooling_box_mean_equals_the_float64_cumsum_box_filter(int h, int w)
    {
        using var scope = NewDisposeScope();
        var x = randn(2, 3, h, w, dtype: ScalarType.Float64, generator: new Generator(1)) * 10;
        var n = CumsumBox(ones(1, 1, h, w, dtype: ScalarType.Float64));
        Assert.True(TensorAssert.Identical(n, AttentionGuidedFilter.WindowCount(h, w, ScalarType.Float64, CPU)));
        Assert.Equal(9.0, n[0, 0, 0, 0].item<double>());
        Assert.Equal(25.0, n[0, 0, 3, 3].item<double>());
        var expected = CumsumBox(x) / n;
        var actual = AttentionGuidedFilter.BoxMean(x);
        Assert.True(actual.allclose(expected, rtol: 1e-12, atol: 1e-12));
    }

    [Fact]
    public void Guided_filter_equals_a_literal_float64_transcription_of_the_reference()
    {
        using var scope = NewDisposeScope();
        var gen = new Generator(2);
        var lowX = randn(2, 4, 6, 10, generator: gen);
        var lowY = randn(2, 4, 6, 10, generator: gen);
        var highX = randn(2, 4, 12, 20, generator: gen);
        var att = rand(2, 1, 6, 10, generator: gen);

        var lx = lowX.to_type(ScalarType.Float64); var ly = lowY.to_type(ScalarType.Float64);
        var hx = highX.to_type(ScalarType.Float64); var la = att.to_type(ScalarType.Float64);
        var n = CumsumBox(ones(1, 1, 6, 10, dtype: ScalarType.Float64));
        la = la.abs() + 1e-12;
        var lt = la / la.sum();
        var meanA = CumsumBox(la) / n;
        var meanA2xy = CumsumBox(la * la * lx * ly) / n;
        var meanTax = CumsumBox(lt * la * lx) / n;
        var meanAy = CumsumBox(la * ly) / n;
        var meanA2x2 = CumsumBox(la * la * lx * lx) / n;
        var meanAx = CumsumBox(la * lx) / n;
        var temp = (meanA2x2 - n * meanTax * meanAx).abs();
        var A = (meanA2xy - n * meanTax * meanAy) / (temp + 0.01);
        var b = (meanAy - A * meanAx) / meanA;
        A = CumsumBox(A) / n;
        b = CumsumBox(b) / n;
        var upA = functional.interpolate(A, [12, 20], mode: InterpolationMode.Bilinear, align_corners: false);
        var upB = functional.interpolate(b, [12, 20], mode: InterpolationMode.Bilinear, align_corners: false);
        var expected = (upA * hx + upB).to_type(ScalarType.Float32);

        var actual = AttentionGuidedFilter.Apply(lowX, lowY, highX, att);
        Assert.Equal(ScalarType.Float32, actual.dtype);
        Assert.True(actual.allclose(expected, rtol: 1e-6, atol: 1e-6));
    }

    [Fact]
    public void Half_size_average_equals_the_references_half_pixel_bilinear_resize()
    {
        using var scope = NewDisposeScope();
        var x = randn(2, 3, 12, 40, generator: new Generator(3));
        var bilinear = functional.interpolate(x, scale_factor: [0.5, 0.5], mode: InterpolationMode.Bilinear, align_corners: false);
        Assert.True(DepthDecoder.HalfSize(x).allclose(bilinear, rtol: 1e-6, atol: 1e-6));
    }

    [Fact]
    public void Global_attention_uses_the_transposed_affinity_as_the_reference()
    {
        using var scope = NewDisposeScope();
        using var ga = new GlobalAttention("ga", 8);
        WeightInitialisation.Apply(ga, new Generator(4));
        var x = randn(2, 8, 5, 6, generator: new Generator(5)) * 0.1;
        using var _ = no_grad();
        // Reference: v' = V(x) as [B,N,C], q = Q(x) as [B,C,N], k' = K(x) as [B,N,C]; A = softmax(q·v');
        // O = (k'·A)ᵀ reshaped; out = local_weight(x + O).
        var k = ga.K.call(x).reshape(2, 8, -1).transpose(1, 2);
        var q = ga.Q.call(x).reshape(2, 8, -1);
        var v = ga.V.call(x).reshape(2, 8, -1).transpose(1, 2);
        var attention = matmul(q, v).softmax(-1);
        var o = matmul(k, attention).transpose(1, 2).reshape(2, 8, 5, 6);
        var expected = ga.local_weight.call(x + o);
        Assert.True(ga.call(x).allclose(expected, rtol: 1e-5, atol: 1e-6));
        // The affinity is not symmetric, so the transpose matters.
        Assert.False(attention.allclose(attention.transpose(1, 2), rtol: 1e-3, atol: 1e-4));
    }

    [Theory]
    [InlineData(PoseEncoderKind.Mlda)]
    [InlineData(PoseEncoderKind.Light)]
    public void Last_level_only_equals_the_full_forward(PoseEncoderKind kind)
    {
        using var nets = MldaNetworks.Create(new ModelOptions(64, 96, kind), imageNetPretrained: false, seed: 9);
        nets.Eval();
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var pair = rand(2, 6, 64, 96, generator: new Generator(6));
        var full = nets.PoseEncoder.Module.call(pair)[4];
        var last = nets.PoseEncoder.ForwardLastLevel(pair);
        Assert.True(last.allclose(full, rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void Side_path_sizes_follow_the_input_so_any_multiple_of_32_works()
    {
        using var encoder = new MldaEncoder("e", 1, 96, 160);
        encoder.eval();
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var features = encoder.call(rand(1, 3, 96, 160));
        Assert.Equal(new long[] { 1, 512, 3, 5 }, features[4].shape);
        Assert.Throws<ArgumentException>(() => encoder.call(rand(1, 3, 100, 160)));
    }
}

using Mlda.Export;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Mlda.Tests.Export;

/// <summary>Each ONNX layer against the TorchSharp layer it replaces, on tiny tensors, batch 2 through a dynamic batch.</summary>
public class OnnxLayerTests
{
    static OnnxGraph Graph(out string x, long c, long h, long w)
    {
        var g = new OnnxGraph("test");
        x = g.Input("x", null, c, h, w);
        return g;
    }

    static void RandomiseBatchNorm(TorchSharp.Modules.BatchNorm2d bn)
    {
        using var _ = no_grad();
        bn.running_mean!.copy_(randn(bn.num_features) * 0.5);
        bn.running_var!.copy_(rand(bn.num_features) + 0.5);
        bn.weight!.copy_(randn(bn.num_features));
        bn.bias!.copy_(randn(bn.num_features));
    }

    [Fact]
    public void Convolution_with_folded_batch_norm_matches_eval_mode()
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        var conv = Conv2d(3, 8, 7, stride: 2, padding: 3, bias: false);
        var bn = BatchNorm2d(8);
        RandomiseBatchNorm(bn);
        conv.eval(); bn.eval();
        var input = rand(2, 3, 32, 48);
        var expected = functional.relu(bn.call(conv.call(input)));
        var g = Graph(out var x, 3, 32, 48);
        g.Output(OnnxLayers.Relu(g, OnnxLayers.Conv(g, x, conv, bn)), "y", null, 8, 16, 24);
        var actual = OnnxTestRunner.Run(g, input);
        Assert.True(OnnxTestRunner.MaxAbsDiff(expected, actual) < 1e-5);
        // Folding really happened: one Conv and one Relu, nothing else.
        Assert.Equal(3, g.NodeCount); // Conv, Relu, Identity naming the output
    }

    [Fact]
    public void Reflection_padded_convolution_with_bias_and_elu()
    {
        using var scope = NewDisposeScope();
        manual_seed(2);
        var pad = ReflectionPad2d(1);
        var conv = Conv2d(4, 5, 3);
        var input = randn(2, 4, 6, 10);
        var expected = functional.elu(conv.call(pad.call(input)), 1.0);
        var g = Graph(out var x, 4, 6, 10);
        g.Output(OnnxLayers.Elu(g, OnnxLayers.Conv(g, OnnxLayers.ReflectPad(g, x, 1), conv)), "y", null, 5, 6, 10);
        Assert.True(OnnxTestRunner.MaxAbsDiff(expected, OnnxTestRunner.Run(g, input)) < 1e-5);
    }

    [Fact]
    public void Max_pool_3x3_stride_2_pad_1()
    {
        using var scope = NewDisposeScope();
        var input = randn(2, 3, 16, 24);
        var expected = functional.max_pool2d(input, 3, stride: 2, padding: 1);
        var g = Graph(out var x, 3, 16, 24);
        g.Output(OnnxLayers.MaxPool(g, x, 3, 2, 1), "y", null, 3, 8, 12);
        Assert.Equal(0, OnnxTestRunner.MaxAbsDiff(expected, OnnxTestRunner.Run(g, input)));
    }

    [Theory]
    [InlineData(true, 16, 24, 8, 12)]
    [InlineData(true, 8, 12, 4, 6)]
    [InlineData(true, 32, 64, 16, 32)]
    [InlineData(false, 8, 12, 16, 24)]
    [InlineData(false, 16, 24, 8, 12)]
    public void Bilinear_resize_matches_torch_coordinates(bool alignCorners, int h, int w, int outH, int outW)
    {
        using var scope = NewDisposeScope();
        var input = randn(2, 3, h, w);
        var expected = functional.interpolate(input, [outH, outW], mode: InterpolationMode.Bilinear, align_corners: alignCorners);
        var g = Graph(out var x, 3, h, w);
        g.Output(OnnxLayers.ResizeBilinear(g, x, outH, outW, alignCorners), "y", null, 3, outH, outW);
        var diff = OnnxTestRunner.MaxAbsDiff(expected, OnnxTestRunner.Run(g, input));
        // Both compute the source coordinate in float32 but in a different order: on N(0,1) noise (neighbours
        // differ by ~2) a 1e-6 px coordinate difference shows as ~1e-5; smooth images differ far less.
        Assert.True(diff < 5e-5, $"max abs difference {diff}");
    }

    [Theory]
    [InlineData(true, 32, 64, 16, 32)]
    [InlineData(true, 16, 32, 8, 16)]
    [InlineData(true, 192, 640, 96, 320)]
    [InlineData(false, 8, 12, 16, 24)]
    [InlineData(false, 16, 24, 8, 12)]
    public void Exact_bilinear_resize_agrees_to_float_rounding(bool alignCorners, int h, int w, int outH, int outW)
    {
        using var scope = NewDisposeScope();
        var input = randn(2, 3, h, w);
        var expected = functional.interpolate(input, [outH, outW], mode: InterpolationMode.Bilinear, align_corners: alignCorners);
        var g = Graph(out var x, 3, h, w);
        g.Output(OnnxLayers.ResizeBilinearExact(g, x, h, w, outH, outW, alignCorners), "y", null, 3, outH, outW);
        var diff = OnnxTestRunner.MaxAbsDiff(expected, OnnxTestRunner.Run(g, input));
        Assert.True(diff < 2e-6, $"max abs difference {diff}");
    }

    [Fact]
    public void Nearest_upsampling_by_two()
    {
        using var scope = NewDisposeScope();
        var input = randn(2, 3, 5, 7);
        var expected = functional.interpolate(input, scale_factor: [2, 2], mode: InterpolationMode.Nearest);
        var g = Graph(out var x, 3, 5, 7);
        g.Output(OnnxLayers.UpsampleNearest2x(g, x), "y", null, 3, 10, 14);
        Assert.Equal(0, OnnxTestRunner.MaxAbsDiff(expected, OnnxTestRunner.Run(g, input)));
    }

    [Theory]
    [InlineData(2, 6, 10)]
    [InlineData(2, 2, 6)]
    [InlineData(1, 7, 9)]
    public void Guided_filter_in_float64_matches_the_networks_exactly(int batch, int h, int w)
    {
        using var scope = NewDisposeScope();
        manual_seed(4);
        long c = 5;
        var lowX = randn(batch, c, h, w);
        var lowY = randn(batch, c, h, w);
        var highX = randn(batch, c, 2 * h, 2 * w);
        var attention = rand(batch, 1, h, w);
        var expected = Mlda.Networks.AttentionGuidedFilter.Apply(lowX, lowY, highX, attention);
        var g = new OnnxGraph("gf");
        var a = g.Input("a", null, c, h, w);
        var b = g.Input("b", null, c, h, w);
        var hx = g.Input("c", null, c, 2 * h, 2 * w);
        var att = g.Input("d", null, 1, h, w);
        g.Output(GuidedFilterGraph.Write(g, a, b, hx, att, c, h, w), "y", null, c, 2 * h, 2 * w);
        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(g.ToBytes("test"));
        var values = new[] { lowX, lowY, highX, attention }.Select(t => Microsoft.ML.OnnxRuntime.OrtValue.CreateTensorValueFromMemory(t.contiguous().data<float>().ToArray(), t.shape)).ToList();
        using var run = new Microsoft.ML.OnnxRuntime.RunOptions();
        using var outputs = session.Run(run, ["a", "b", "c", "d"], values, ["y"]);
        var actual = tensor(outputs[0].GetTensorDataAsSpan<float>().ToArray()).reshape(expected.shape);
        // The networks compute the filter in float64 (as the reference), the graph in float32: float32 rounding apart.
        var diff = OnnxTestRunner.MaxAbsDiff(expected, actual);
        Assert.True(diff <= 1e-6 * Math.Max(1, expected.abs().max().item<float>()), $"max abs difference {diff}");
        foreach (var v in values) v.Dispose();
    }

    [Fact]
    public void Channel_attention_matches_the_reference_formula()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        long c = 8, h = 6, w = 10;
        var k = Conv2d(c, c, 3, padding: 1, bias: false);
        var q = Conv2d(c, c, 3, padding: 1, bias: false);
        var v = Conv2d(c, c, 3, padding: 1, bias: false);
        var local = Conv2d(c, c, 1, bias: false);
        var input = randn(2, c, h, w);
        var kf = k.call(input).reshape(2, c, h * w);
        var qf = q.call(input).reshape(2, c, h * w);
        var vf = v.call(input).reshape(2, c, h * w);
        var a = bmm(qf, vf.transpose(1, 2)).softmax(-1);
        var expected = local.call(input + bmm(a.transpose(1, 2), kf).reshape(2, c, h, w));
        var g = Graph(out var x, c, h, w);
        g.Output(OnnxLayers.GlobalAttention(g, x, k, q, v, local, c, h, w, "ga"), "y", null, c, h, w);
        Assert.True(OnnxTestRunner.MaxAbsDiff(expected, OnnxTestRunner.Run(g, input)) < 1e-4);
    }
}

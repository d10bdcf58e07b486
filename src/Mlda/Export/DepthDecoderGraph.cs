using Mlda.Networks;
using TorchSharp.Modules;

namespace Mlda.Export;

/// <summary>
/// Writes the depth decoder (<see cref="DepthDecoder"/>) into a graph: per level, upconv_i_0 (reflection pad,
/// conv, ELU), nearest ×2, skip concat, upconv_i_2, the half-size 2×2 average, the structure-attention gate and
/// the guided filter; sigmoid disparity heads for the requested scales.
/// </summary>
public static class DepthDecoderGraph
{
    /// <summary>Returns the disparity names indexed by scale, only for <paramref name="scales"/> (null entries elsewhere).</summary>
    public static string?[] Write(OnnxGraph g, string[] features, DepthDecoder decoder, int height, int width, IReadOnlyCollection<int> scales)
    {
        var disps = new string?[4];
        var x = features[4];
        for (int i = 4; i >= 0; i--)
        {
            int h = height >> (i + 1), w = width >> (i + 1);   // low resolution at this level
            long c = DepthDecoder.DecoderChannels[i];
            var low = ConvBlock(g, decoder, DepthDecoder.UpconvIndex(i, 0), x, $"upconv{i}_0");
            var up = OnnxLayers.UpsampleNearest2x(g, low);
            var high = ConvBlock(g, decoder, DepthDecoder.UpconvIndex(i, 2), i > 0 ? OnnxLayers.Concat(g, up, features[i - 1]) : up, $"upconv{i}_2");
            var half = g.Node("AveragePool", [high], ("kernel_shape", new long[] { 2, 2 }), ("strides", new long[] { 2, 2 }));
            var gate = ModuleTree.Find<StructureAttentionGate>(decoder, $"decoder.{DepthDecoder.EdgeIndex(i)}");
            var logits = OnnxLayers.Conv(g,
                OnnxLayers.Relu(g, OnnxLayers.Add(g, OnnxLayers.Conv(g, half, gate.theta, null, $"edge{i}_theta"), OnnxLayers.Conv(g, low, gate.phi, null, $"edge{i}_phi"))),
                gate.psi, null, $"edge{i}_psi");
            // The sigmoid in float64: ONNX Runtime's float32 Sigmoid clamps its input near ±18 (outputs ≥ 1.5e-8), while
            // LibTorch's reaches 1e-16 and below, and trained gates do go there. The guided filter's window means are
            // ratios of these weights, so where every weight of a window is tiny the two disagreed by whole units.
            var attention = OnnxLayers.ToFloat(g, g.Node("Sigmoid", [OnnxLayers.ToDouble(g, logits)]));
            x = GuidedFilterGraph.Write(g, half, low, high, attention, c, h, w);
            if (scales.Contains(i))
            {
                var head = ModuleTree.Find<Conv3x3>(decoder, $"decoder.{DepthDecoder.DispconvIndex(i)}");
                disps[i] = OnnxLayers.Sigmoid(g, OnnxLayers.Conv(g, OnnxLayers.ReflectPad(g, x, 1), head.conv, null, $"dispconv{i}"));
            }
        }
        return disps;
    }

    static string ConvBlock(OnnxGraph g, DepthDecoder decoder, int index, string x, string hint)
    {
        var block = ModuleTree.Find<ConvBlock>(decoder, $"decoder.{index}");
        return OnnxLayers.Elu(g, OnnxLayers.Conv(g, OnnxLayers.ReflectPad(g, x, 1), block.conv.conv, null, hint));
    }
}

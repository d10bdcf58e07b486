using Google.Protobuf;
using Onnx;

namespace Mlda.Export;

/// <summary>
/// Which convolutions of the float graph become int8, named by the hint their weight initializer carries
/// (<see cref="OnnxLayers.Conv"/>: <c>dispconv0_w_…</c>, <c>edge2_psi_w_…</c>, <c>anet_128_kqv_w_…</c>).
/// <see cref="KeepFloat"/> lists hint prefixes whose convolutions stay float: by default the sigmoid disparity
/// heads and the structure-attention gates, whose logits feed the sigmoid and, through it, the guided filter's
/// weight ratios (a uint8 step of a logit near −30 changes a window's relative weight by e^step).
/// </summary>
public sealed record QuantizationOptions(CalibrationMethod Method = CalibrationMethod.Percentile, bool PerChannel = true, string[]? KeepFloat = null)
{
    public static readonly string[] DefaultKeepFloat = ["dispconv", "edge"];

    public string[] FloatConvolutions => KeepFloat ?? DefaultKeepFloat;
}

/// <summary>
/// Rewrites a float ONNX graph into QDQ form (onnxruntime.quantization quantize_static with QuantFormat.QDQ): each
/// quantised convolution reads DequantizeLinear(QuantizeLinear(x)) with a calibrated uint8 activation scale,
/// symmetric int8 weights (per output channel, or one scale per tensor) and an int32 bias at scale s_x·s_w, and its
/// output (after its ReLU, where it has one) is quantised again, so that ONNX Runtime's QDQ transformer finds
/// DQ → Conv → Q and replaces it with its int8 kernel (QLinearConv). Everything else stays float: the global
/// attention's products and softmax, the guided filter, the gates' sigmoid, resizes and the sigmoid heads.
/// </summary>
public static class QdqQuantizer
{
    /// <summary>The tensors that need an activation range: the inputs of quantised convolutions and their (ReLU'd) outputs.</summary>
    public static IReadOnlyList<string> TensorsToCalibrate(ModelProto model, QuantizationOptions options)
    {
        var (convs, consumers) = Plan(model.Graph, options);
        var set = new List<string>();
        foreach (var conv in convs)
        {
            Add(set, conv.Input[0]);
            Add(set, QuantisedOutput(conv, consumers));
        }
        return set;
    }

    static void Add(List<string> set, string name)
    {
        if (!set.Contains(name)) set.Add(name);
    }

    public static ModelProto Quantize(ModelProto floatModel, IReadOnlyDictionary<string, ActivationRange> ranges, QuantizationOptions options)
    {
        var model = floatModel.Clone();
        var graph = model.Graph;
        var (convs, consumers) = Plan(graph, options);
        var initializers = graph.Initializer.ToDictionary(t => t.Name);
        var quantised = new HashSet<string>(TensorsToCalibrate(floatModel, options));
        var graphOutputs = graph.Output.Select(o => o.Name).ToHashSet();
        quantised.ExceptWith(graphOutputs);

        // Each quantised tensor T gets Q → DQ once, right after its producer, and every reader of T reads the DQ output.
        var renamed = quantised.ToDictionary(t => t, t => t + "_dq");
        var nodes = new List<NodeProto>();
        var inputs = graph.Input.Select(i => i.Name).ToHashSet();
        foreach (var name in quantised.Where(inputs.Contains)) nodes.AddRange(QdqPair(graph, name, ranges[name]));
        foreach (var node in graph.Node)
        {
            var copy = node.Clone();
            for (int i = 0; i < copy.Input.Count; i++)
                if (renamed.TryGetValue(copy.Input[i], out var dq)) copy.Input[i] = dq;
            if (convs.Contains(node))
            {
                var xRange = ranges[node.Input[0]];
                nodes.AddRange(QuantizeWeights(graph, initializers, copy, xRange.Scale, options.PerChannel));
            }
            nodes.Add(copy);
            foreach (var output in node.Output)
                if (quantised.Contains(output)) nodes.AddRange(QdqPair(graph, output, ranges[output]));
        }
        graph.Node.Clear();
        graph.Node.AddRange(nodes);
        return model;
    }

    /// <summary>The convolutions to quantise (a weight initializer whose name does not start with a kept-float hint) and each value's readers.</summary>
    static (HashSet<NodeProto> Convs, Dictionary<string, List<NodeProto>> Consumers) Plan(GraphProto graph, QuantizationOptions options)
    {
        var initializers = graph.Initializer.Select(t => t.Name).ToHashSet();
        var consumers = new Dictionary<string, List<NodeProto>>();
        foreach (var node in graph.Node)
        foreach (var input in node.Input)
        {
            if (!consumers.TryGetValue(input, out var list)) consumers[input] = list = [];
            list.Add(node);
        }
        var convs = graph.Node.Where(n => n.OpType == "Conv" && initializers.Contains(n.Input[1])
                                          && !options.FloatConvolutions.Any(p => n.Input[1].Contains(p, StringComparison.Ordinal)))
            .ToHashSet();
        return (convs, consumers);
    }

    /// <summary>The convolution's output, or its ReLU's when a ReLU is its only reader (ONNX Runtime drops a ReLU before a Q whose zero point is 0).</summary>
    static string QuantisedOutput(NodeProto conv, Dictionary<string, List<NodeProto>> consumers)
    {
        var y = conv.Output[0];
        return consumers.TryGetValue(y, out var readers) && readers.Count == 1 && readers[0].OpType == "Relu" ? readers[0].Output[0] : y;
    }

    static IEnumerable<NodeProto> QdqPair(GraphProto graph, string tensor, ActivationRange range)
    {
        var scale = AddInitializer(graph, tensor + "_scale", TensorProto.Types.DataType.Float, [], MemoryMarshalBytes([range.Scale]));
        var zero = AddInitializer(graph, tensor + "_zero_point", TensorProto.Types.DataType.Uint8, [], [range.ZeroPoint]);
        yield return new NodeProto { OpType = "QuantizeLinear", Name = tensor + "_quantize", Input = { tensor, scale, zero }, Output = { tensor + "_q" } };
        yield return new NodeProto { OpType = "DequantizeLinear", Name = tensor + "_dequantize", Input = { tensor + "_q", scale, zero }, Output = { tensor + "_dq" } };
    }

    /// <summary>
    /// Replaces the convolution's float weight (and bias) initializers with int8 (int32) ones behind DequantizeLinear:
    /// symmetric, s_w = max|w|/127 per output channel (axis 0) or per tensor; bias at s_x·s_w with zero point 0,
    /// the scale ONNX Runtime's QLinearConv accumulates in.
    /// </summary>
    static IEnumerable<NodeProto> QuantizeWeights(GraphProto graph, Dictionary<string, TensorProto> initializers, NodeProto conv, float inputScale, bool perChannel)
    {
        var wt = initializers[conv.Input[1]];
        var w = Floats(wt);
        int outChannels = (int)wt.Dims[0], per = w.Length / outChannels;
        var scales = new float[outChannels];
        for (int c = 0; c < outChannels; c++)
        {
            float m = 0;
            for (int k = 0; k < per; k++) m = Math.Max(m, Math.Abs(w[c * per + k]));
            scales[c] = m > 0 ? m / 127f : 1f;
        }
        if (!perChannel)
        {
            float all = scales.Max();
            Array.Fill(scales, all);
        }
        var q = new byte[w.Length];
        for (int i = 0; i < w.Length; i++) q[i] = unchecked((byte)(sbyte)Math.Clamp(Math.Round(w[i] / scales[i / per]), -127, 127));
        long[] channelDims = [outChannels];
        var wq = AddInitializer(graph, wt.Name + "_int8", TensorProto.Types.DataType.Int8, wt.Dims.ToArray(), q);
        var ws = AddInitializer(graph, wt.Name + "_scale", TensorProto.Types.DataType.Float, channelDims, MemoryMarshalBytes(scales));
        var wz = AddInitializer(graph, wt.Name + "_zero_point", TensorProto.Types.DataType.Int8, channelDims, new byte[outChannels]);
        graph.Initializer.Remove(wt);
        yield return new NodeProto { OpType = "DequantizeLinear", Name = wt.Name + "_dequantize", Input = { wq, ws, wz }, Output = { wt.Name }, Attribute = { AxisZero() } };
        if (conv.Input.Count < 3 || conv.Input[2] == "") yield break;

        var bt = initializers[conv.Input[2]];
        var b = Floats(bt);
        var bScales = scales.Select(s => s * inputScale).ToArray();
        var bq = new int[b.Length];
        for (int c = 0; c < b.Length; c++) bq[c] = (int)Math.Clamp(Math.Round(b[c] / bScales[c]), int.MinValue, int.MaxValue);
        var bqName = AddInitializer(graph, bt.Name + "_int32", TensorProto.Types.DataType.Int32, channelDims, MemoryMarshalBytes(bq));
        var bsName = AddInitializer(graph, bt.Name + "_scale", TensorProto.Types.DataType.Float, channelDims, MemoryMarshalBytes(bScales));
        var bzName = AddInitializer(graph, bt.Name + "_zero_point", TensorProto.Types.DataType.Int32, channelDims, new byte[4 * outChannels]);
        graph.Initializer.Remove(bt);
        yield return new NodeProto { OpType = "DequantizeLinear", Name = bt.Name + "_dequantize", Input = { bqName, bsName, bzName }, Output = { bt.Name }, Attribute = { AxisZero() } };
    }

    static AttributeProto AxisZero() => new() { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = 0 };

    static float[] Floats(TensorProto t)
    {
        if (t.DataType != (int)TensorProto.Types.DataType.Float) throw new ArgumentException($"{t.Name}: a float32 initializer expected");
        return t.RawData.Length > 0 ? System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(t.RawData.Span).ToArray() : t.FloatData.ToArray();
    }

    static byte[] MemoryMarshalBytes<T>(T[] values) where T : unmanaged =>
        System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray();

    static string AddInitializer(GraphProto graph, string name, TensorProto.Types.DataType type, long[] dims, byte[] raw)
    {
        var t = new TensorProto { Name = name, DataType = (int)type, RawData = ByteString.CopyFrom(raw) };
        t.Dims.AddRange(dims);
        graph.Initializer.Add(t);
        return name;
    }
}

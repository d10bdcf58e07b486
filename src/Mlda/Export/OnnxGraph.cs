using Google.Protobuf;
using Onnx;

namespace Mlda.Export;

/// <summary>
/// A small writer over the ONNX protobuf classes: graph inputs with a symbolic batch dimension, float/int64
/// initializers, nodes with unique value names, graph outputs. TorchSharp cannot export ONNX, so every
/// network graph is written through this by hand (see <see cref="OnnxLayers"/>).
/// </summary>
public sealed class OnnxGraph
{
    /// <summary>ONNX IR version 8 and opset 17: the newest pair ONNX Runtime 1.31 and every current viewer read.</summary>
    public const long IrVersion = 8;
    public const long Opset = 17;
    public const string BatchDim = "batch";

    readonly GraphProto _graph;
    readonly HashSet<string> _names = new(StringComparer.Ordinal);
    readonly Dictionary<string, string> _int64Constants = new(StringComparer.Ordinal);
    int _counter;

    public OnnxGraph(string name) => _graph = new GraphProto { Name = name };

    public int NodeCount => _graph.Node.Count;

    /// <summary>A float32 graph input; a null dimension is the symbolic batch size.</summary>
    public string Input(string name, params long?[] dims)
    {
        Claim(name);
        _graph.Input.Add(ValueInfo(name, TensorProto.Types.DataType.Float, dims));
        return name;
    }

    /// <summary>Declares <paramref name="value"/> a graph output named <paramref name="name"/> (renamed through Identity when needed).</summary>
    public string Output(string value, string name, params long?[] dims)
    {
        if (value != name)
        {
            Claim(name);
            var node = new NodeProto { OpType = "Identity", Name = "output_" + name };
            node.Input.Add(value);
            node.Output.Add(name);
            _graph.Node.Add(node);
        }
        _graph.Output.Add(ValueInfo(name, TensorProto.Types.DataType.Float, dims));
        return name;
    }

    public string Initializer(string hint, ReadOnlySpan<float> data, params long[] dims) =>
        Initializer(hint, data, TensorProto.Types.DataType.Float, dims);

    public string Initializer(string hint, ReadOnlySpan<double> data, params long[] dims) =>
        Initializer(hint, data, TensorProto.Types.DataType.Double, dims);

    string Initializer<T>(string hint, ReadOnlySpan<T> data, TensorProto.Types.DataType type, long[] dims) where T : unmanaged
    {
        CheckCount(data.Length, dims);
        var t = new TensorProto { Name = Fresh(hint), DataType = (int)type };
        t.Dims.AddRange(dims);
        t.RawData = ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(data));
        _graph.Initializer.Add(t);
        return t.Name;
    }

    /// <summary>A 1-D int64 constant (shapes, axes, pads); identical constants are shared.</summary>
    public string Int64s(params long[] values)
    {
        var key = string.Join(",", values);
        if (_int64Constants.TryGetValue(key, out var existing)) return existing;
        var t = new TensorProto { Name = Fresh("const_i64"), DataType = (int)TensorProto.Types.DataType.Int64 };
        t.Dims.Add(values.Length);
        t.RawData = ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
        _graph.Initializer.Add(t);
        _int64Constants[key] = t.Name;
        return t.Name;
    }

    /// <summary>A float32 scalar constant (rank 0).</summary>
    public string Scalar(string hint, float value) => Initializer(hint, new[] { value });

    /// <summary>A float64 scalar constant (rank 0).</summary>
    public string ScalarDouble(string hint, double value) => Initializer(hint, new[] { value });

    /// <summary>Adds a node with one output and returns the output's name.</summary>
    public string Node(string op, IReadOnlyList<string> inputs, params (string Name, object Value)[] attributes) =>
        Node(op, inputs, 1, attributes)[0];

    /// <summary>Adds a node with <paramref name="outputs"/> outputs; an empty input name marks an omitted optional input.</summary>
    public string[] Node(string op, IReadOnlyList<string> inputs, int outputs, params (string Name, object Value)[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = Fresh(op.ToLowerInvariant() + "_node") };
        node.Input.AddRange(inputs);
        var names = new string[outputs];
        for (int i = 0; i < outputs; i++) names[i] = Fresh(op.ToLowerInvariant());
        node.Output.AddRange(names);
        foreach (var (name, value) in attributes) node.Attribute.Add(Attribute(name, value));
        _graph.Node.Add(node);
        return names;
    }

    public ModelProto ToModel(string producer, string docString = "")
    {
        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = producer,
            ProducerVersion = typeof(OnnxGraph).Assembly.GetName().Version?.ToString() ?? "0",
            DocString = docString,
            Graph = _graph.Clone(),
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        return model;
    }

    public byte[] ToBytes(string producer, string docString = "") => ToModel(producer, docString).ToByteArray();

    static AttributeProto Attribute(string name, object value)
    {
        var a = new AttributeProto { Name = name };
        switch (value)
        {
            case int i: a.Type = AttributeProto.Types.AttributeType.Int; a.I = i; break;
            case long l: a.Type = AttributeProto.Types.AttributeType.Int; a.I = l; break;
            case float f: a.Type = AttributeProto.Types.AttributeType.Float; a.F = f; break;
            case double d: a.Type = AttributeProto.Types.AttributeType.Float; a.F = (float)d; break;
            case string s: a.Type = AttributeProto.Types.AttributeType.String; a.S = ByteString.CopyFromUtf8(s); break;
            case long[] ls: a.Type = AttributeProto.Types.AttributeType.Ints; a.Ints.AddRange(ls); break;
            case int[] ints: a.Type = AttributeProto.Types.AttributeType.Ints; a.Ints.AddRange(ints.Select(v => (long)v)); break;
            case float[] fs: a.Type = AttributeProto.Types.AttributeType.Floats; a.Floats.AddRange(fs); break;
            default: throw new ArgumentException($"unsupported ONNX attribute type {value.GetType().Name} for '{name}'");
        }
        return a;
    }

    static ValueInfoProto ValueInfo(string name, TensorProto.Types.DataType type, long?[] dims)
    {
        var tensor = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = new TensorShapeProto() };
        foreach (var d in dims)
            tensor.Shape.Dim.Add(d is long v ? new TensorShapeProto.Types.Dimension { DimValue = v } : new TensorShapeProto.Types.Dimension { DimParam = BatchDim });
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = tensor } };
    }

    static void CheckCount(int count, long[] dims)
    {
        long n = 1;
        foreach (var d in dims) n *= d;
        if (n != count) throw new ArgumentException($"{count} values for dims [{string.Join(",", dims)}]");
    }

    void Claim(string name)
    {
        if (!_names.Add(name)) throw new ArgumentException($"ONNX value name '{name}' used twice");
    }

    string Fresh(string hint)
    {
        string name;
        do name = $"{hint}_{_counter++}"; while (!_names.Add(name));
        return name;
    }
}

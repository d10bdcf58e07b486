using Google.Protobuf;
using Mlda.Core;
using Onnx;
using TorchSharp;
using static TorchSharp.torch;

namespace Mlda.Networks;

/// <summary>
/// ImageNet weights for the ResNet-18 backbones, read from the ONNX ResNet-18 that CNTK made for ML.NET
/// (NuGet Microsoft.ML.DnnImageFeaturizer.ResNet18, copied to <c>pretrained/</c> by the build).
/// That network takes BGR in 0..255 minus a mean image (<c>ResNetPreprocess.onnx</c>) and its layer4 has three
/// blocks; the MLDA backbone uses the first two. The weights are found by the graph's structure (stem conv, then
/// each residual Add: 3×3 main path, optional 1×1 downsample), not by CNTK's node numbers, and get torchvision
/// state-dict names (<c>conv1.weight</c>, <c>layer4.2.bn2.running_var</c>, ...).
/// </summary>
public sealed class ImageNetResNet18 : IDisposable
{
    /// <summary>Blocks per layer of the CNTK file (the import test builds exactly this).</summary>
    public static readonly int[] CntkBlocks = [2, 2, 2, 3];

    public static string DefaultPath => Path.Combine(AppContext.BaseDirectory, "pretrained", "ResNet18.onnx");
    public static string DefaultPreprocessPath => Path.Combine(AppContext.BaseDirectory, "pretrained", "ResNetPreprocess.onnx");

    readonly Dictionary<string, Tensor> weights;

    /// <summary>Weights by torchvision name, for input BGR 0..255 minus the mean.</summary>
    public IReadOnlyDictionary<string, Tensor> Weights => weights;

    /// <summary>Per-channel mean (B, G, R) of the preprocessing mean image, in 0..255.</summary>
    public IReadOnlyList<double> MeanBgr { get; }

    ImageNetResNet18(Dictionary<string, Tensor> weights, double[] meanBgr)
    {
        this.weights = weights;
        MeanBgr = meanBgr;
    }

    /// <summary>Reads the ONNX network (and the mean of its preprocessing model next to it).</summary>
    public static ImageNetResNet18 Load(string? path = null, string? preprocessPath = null)
    {
        path ??= DefaultPath;
        preprocessPath ??= Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, "ResNetPreprocess.onnx");
        var model = ParseModel(path);
        var mean = ReadMeanBgr(ParseModel(preprocessPath), preprocessPath);
        return new ImageNetResNet18(ExtractWeights(model.Graph, path), mean);
    }

    static ModelProto ParseModel(string path)
    {
        if (!File.Exists(path))
            throw new InputException(path, "missing (the ImageNet ResNet-18 files come with the build, from NuGet Microsoft.ML.DnnImageFeaturizer.ResNet18)");
        try
        {
            using var stream = File.OpenRead(path);
            return ModelProto.Parser.ParseFrom(stream);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InputException(path, $"not a readable ONNX model: {e.Message}", inner: e);
        }
    }

    static double[] ReadMeanBgr(ModelProto model, string path)
    {
        var meanImage = model.Graph.Initializer.FirstOrDefault(t => t.Name == "MeanImage" && t.Dims.Count == 4 && t.Dims[1] == 3)
            ?? throw new InputException(path, "no [1,3,H,W] initializer 'MeanImage'");
        var data = FloatsOf(meanImage);
        var plane = data.Length / 3;
        return [.. Enumerable.Range(0, 3).Select(c => data.Skip(c * plane).Take(plane).Average(v => (double)v))];
    }

    static float[] FloatsOf(TensorProto t)
    {
        if (t.DataType != (int)TensorProto.Types.DataType.Float) throw new InvalidDataException($"tensor {t.Name} is not float32");
        if (t.FloatData.Count > 0) return [.. t.FloatData];
        var raw = t.RawData.Span;
        var result = new float[raw.Length / 4];
        for (var i = 0; i < result.Length; i++) result[i] = BitConverter.ToSingle(raw.Slice(4 * i, 4));
        return result;
    }

    static Dictionary<string, Tensor> ExtractWeights(GraphProto graph, string path)
    {
        var initializers = graph.Initializer.ToDictionary(t => t.Name);
        var producer = new Dictionary<string, NodeProto>();
        foreach (var node in graph.Node)
            foreach (var o in node.Output) producer[o] = node;
        var result = new Dictionary<string, Tensor>();
        try
        {
            NodeProto Producer(string output, string opType) =>
                producer.TryGetValue(output, out var n) && n.OpType == opType ? n : throw new InvalidDataException($"{output} is not produced by {opType}");
            Tensor Init(string name)
            {
                var t = initializers.TryGetValue(name, out var v) ? v : throw new InvalidDataException($"no initializer {name}");
                return tensor(FloatsOf(t), [.. t.Dims]);
            }
            void AddConv(string prefix, NodeProto conv) => result[prefix + ".weight"] = Init(conv.Input[1]);
            void AddBn(string prefix, NodeProto bn)
            {
                result[prefix + ".weight"] = Init(bn.Input[1]);
                result[prefix + ".bias"] = Init(bn.Input[2]);
                result[prefix + ".running_mean"] = Init(bn.Input[3]);
                result[prefix + ".running_var"] = Init(bn.Input[4]);
            }
            long KernelSize(NodeProto conv) => conv.Attribute.First(a => a.Name == "kernel_shape").Ints[0];

            var graphInput = graph.Input.First(i => !initializers.ContainsKey(i.Name)).Name;
            var stem = graph.Node.First(n => n.OpType == "Conv" && n.Input[0] == graphInput);
            AddConv("conv1", stem);
            AddBn("bn1", graph.Node.First(n => n.OpType == "BatchNormalization" && n.Input[0] == stem.Output[0]));

            int layer = 1, block = -1;
            foreach (var add in graph.Node.Where(n => n.OpType == "Add"))
            {
                NodeProto? main = null, shortcut = null;
                foreach (var input in add.Input)
                {
                    if (producer.TryGetValue(input, out var p) && p.OpType == "BatchNormalization")
                    {
                        var conv = Producer(p.Input[0], "Conv");
                        if (KernelSize(conv) == 3) main = p; else shortcut = p;
                    }
                }
                if (main is null) throw new InvalidDataException($"residual {add.Name} has no 3x3 main path");
                if (shortcut is not null && block >= 0) { layer++; block = 0; } else block++;
                var prefix = $"layer{layer}.{block}";
                var conv2 = Producer(main.Input[0], "Conv");
                var bn1 = Producer(Producer(conv2.Input[0], "Relu").Input[0], "BatchNormalization");
                var conv1 = Producer(bn1.Input[0], "Conv");
                AddConv(prefix + ".conv1", conv1);
                AddBn(prefix + ".bn1", bn1);
                AddConv(prefix + ".conv2", conv2);
                AddBn(prefix + ".bn2", main);
                if (shortcut is not null)
                {
                    AddConv(prefix + ".downsample.0", Producer(shortcut.Input[0], "Conv"));
                    AddBn(prefix + ".downsample.1", shortcut);
                }
            }
            if (layer != 4) throw new InvalidDataException($"found {layer} residual layers, expected 4");
            return result;
        }
        catch (Exception e) when (e is InvalidDataException or InvalidOperationException or KeyNotFoundException)
        {
            foreach (var t in result.Values) t.Dispose();
            throw new InputException(path, $"not the expected ResNet-18 graph: {e.Message}", inner: e);
        }
    }

    /// <summary>
    /// Copies the weights unchanged (CNTK input convention) into a backbone of the same names; every backbone
    /// tensor except <c>num_batches_tracked</c> must be found, and with <paramref name="requireAllUsed"/> every
    /// imported tensor must be used (the exact-topology check).
    /// </summary>
    public void CopyInto(ResNetBackbone backbone, bool requireAllUsed = false)
    {
        using var _ = no_grad();
        var used = new HashSet<string>();
        foreach (var (name, target) in backbone.state_dict())
        {
            if (name.EndsWith("num_batches_tracked", StringComparison.Ordinal)) continue;
            if (!weights.TryGetValue(name, out var source))
                throw new InvalidOperationException($"ImageNet ResNet-18 has no tensor {name}");
            if (!source.shape.SequenceEqual(target.shape))
                throw new InvalidOperationException($"ImageNet {name} is [{string.Join(",", source.shape)}], backbone wants [{string.Join(",", target.shape)}]");
            target.copy_(source);
            used.Add(name);
        }
        if (requireAllUsed && used.Count != weights.Count)
            throw new InvalidOperationException($"unused ImageNet tensors: {string.Join(", ", weights.Keys.Except(used))}");
    }

    /// <summary>
    /// Initialises an MLDA backbone (layer4 blocks 0 and 1) for input (x − 0.45)/0.225, RGB, with
    /// <paramref name="numInputImages"/> stacked images. The CNTK net sees x' = 255·I_bgr − m; with
    /// I = 0.225·x + 0.45, x' = 57.375·x_rgb + (114.75 − m), so conv1 takes W·57.375 with the channels reversed and
    /// the constant part, conv1 applied to (114.75 − m), moves into bn1's running mean (exact away from the 3-pixel
    /// border, where CNTK's zero padding would have been −m). Several images: the weight is repeated and divided by
    /// their number (monodepth2), which leaves the constant part unchanged.
    /// </summary>
    public void InitialiseBackbone(ResNetBackbone backbone, int numInputImages)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var target = backbone.state_dict();
        var cntk = weights["conv1.weight"];                       // [64, 3 (BGR), 7, 7]
        foreach (var (name, t) in target)
        {
            if (name.EndsWith("num_batches_tracked", StringComparison.Ordinal) || name == "conv1.weight" || name == "bn1.running_mean") continue;
            if (!weights.TryGetValue(name, out var source) || !source.shape.SequenceEqual(t.shape))
                throw new InvalidOperationException($"ImageNet ResNet-18 has no tensor {name} of shape [{string.Join(",", t.shape)}]");
            t.copy_(source);
        }
        var scale = 255.0 * 0.225;
        var rgb = cntk.flip(1) * scale;
        var offsetBgr = tensor(MeanBgr.Select(m => 255.0 * 0.45 - m).ToArray(), ScalarType.Float32);   // per BGR channel
        var constantResponse = (cntk * offsetBgr.reshape(1, 3, 1, 1)).sum([1, 2, 3]);                  // [64]
        var conv1 = cat(Enumerable.Repeat(rgb, numInputImages).ToArray(), 1) / numInputImages;
        if (!conv1.shape.SequenceEqual(target["conv1.weight"].shape))
            throw new InvalidOperationException($"backbone conv1 is [{string.Join(",", target["conv1.weight"].shape)}], not {numInputImages} images");
        target["conv1.weight"].copy_(conv1);
        target["bn1.running_mean"].copy_(weights["bn1.running_mean"] - constantResponse);
    }

    public void Dispose()
    {
        foreach (var t in weights.Values) t.Dispose();
    }
}

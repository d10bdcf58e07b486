using System.Buffers.Binary;
using System.Text.Json;
using System.Text.RegularExpressions;
using Mlda.Core;
using Mlda.Core.IO;
using Mlda.Interop;
using Mlda.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace Mlda.Checkpoints;

/// <summary>What an import did: per network the tensors dropped because the reference builds them but never calls them.</summary>
public sealed record ReferenceImport(string OutDir, IReadOnlyDictionary<string, IReadOnlyList<string>> Dropped);

/// <summary>
/// The reference's weights (<c>trainer.py save_model</c>: <c>encoder</c>, <c>depth</c>, <c>pose_encoder</c>, <c>pose</c>
/// <c>.pdparams</c>, Paddle 2.2 <c>paddle.save</c> of each state dict), or the same four networks as PyTorch-style
/// <c>.safetensors</c> with the reference's names, into a model folder of ours. Tensors are matched by their structured
/// names, as Paddle's <c>set_state_dict</c> does (the <c>StructuredToParameterName@@</c> table of generated parameter
/// names is ignored: it depends on how the saving process ran). Paddle's batch-norm buffers <c>_mean</c>/<c>_variance</c>
/// are torch's <c>running_mean</c>/<c>running_var</c>; <c>num_batches_tracked</c>, which Paddle lacks, starts at 0; a
/// Paddle <c>Linear</c> weight is stored [in, out] and is transposed.
/// </summary>
public static class ReferenceWeights
{
    public const string PaddleExtension = ".pdparams";

    /// <summary>
    /// Built by the reference but never called in a forward pass, so not part of our networks: the ResNet-18
    /// classifier of both encoders (<c>resnet_encoder.py</c>, <c>encoder.fc</c>) and the decoder's global-attention
    /// blocks <c>("upconv", i, 1)</c> (<c>depth_decoder_sa_edge.py</c>, <c>decoder.7|10|13|16|19</c>).
    /// </summary>
    static readonly Regex Unused = new(@"^(encoder\.fc\.|decoder\.(7|10|13|16|19)\.)", RegexOptions.CultureInvariant);

    sealed record Source(string Path, bool IsPaddle, Dictionary<string, (long[] Shape, float[] Data)> Tensors);

    /// <summary>Reads the four networks from <paramref name="fromDir"/> and writes our model folder <paramref name="outDir"/> (mode MS).</summary>
    public static ReferenceImport Import(string fromDir, string outDir, int height = 192, int width = 640)
    {
        if (!Directory.Exists(fromDir)) throw new InputException(fromDir, "weights folder not found");
        var options = new ModelOptions(height, width, PoseEncoderKind.Mlda, TrainingMode: Core.Prediction.TrainingMode.MonoStereo);
        try { options.Validate(); }
        catch (ArgumentException e) { throw new InputException(null, e.Message, inner: e); }
        string[] names = [MldaNetworks.EncoderName, MldaNetworks.DepthName, MldaNetworks.PoseEncoderName, MldaNetworks.PoseName];
        // Every file is read and checked before anything is written.
        var sources = names.ToDictionary(n => n, n => Read(fromDir, n));
        using var nets = MldaNetworks.CreateForLoading(options, withPose: true);
        var dropped = new Dictionary<string, IReadOnlyList<string>>();
        foreach (var (name, module) in nets.Named())
            dropped[name] = Assign(module, sources[name]);
        Checkpoint.Save(outDir, nets);
        return new ReferenceImport(outDir, dropped);
    }

    static Source Read(string dir, string network)
    {
        var paddle = Path.Combine(dir, network + PaddleExtension);
        var safetensors = Checkpoint.FileOf(dir, network);
        if (File.Exists(paddle))
        {
            var (arrays, _) = NumpyPickle.Arrays(NumpyPickle.Read(paddle), paddle);
            var tensors = arrays.ToDictionary(a => a.Key, a =>
            {
                var npy = a.Value;
                var data = npy.Dtype is "<f4" or "<f8" ? npy.ToFloat32() : throw new InputException(paddle, $"tensor {a.Key} has dtype {npy.Dtype}, expected float32");
                return (npy.Shape.Select(d => (long)d).ToArray(), data);
            });
            return new Source(paddle, true, tensors);
        }
        if (File.Exists(safetensors)) return new Source(safetensors, false, ReadSafetensors(safetensors));
        throw new InputException(paddle, $"missing (neither {network}{PaddleExtension} nor {network}{Checkpoint.Extension} is in the folder)");
    }

    /// <summary>Our name of a reference tensor: the structured name with torch's batch-norm buffer names.</summary>
    static string OurName(string name) =>
        name.EndsWith("._mean", StringComparison.Ordinal) ? name[..^"_mean".Length] + "running_mean"
        : name.EndsWith("._variance", StringComparison.Ordinal) ? name[..^"_variance".Length] + "running_var"
        : name;

    /// <summary>Checks the source against the module's state dict, copies the tensors in, and returns the dropped names.</summary>
    static IReadOnlyList<string> Assign(nn.Module module, Source source)
    {
        var expected = module.state_dict();
        var byOurName = new Dictionary<string, string>(StringComparer.Ordinal);
        var dropped = new List<string>();
        var unexpected = new List<string>();
        foreach (var name in source.Tensors.Keys.Order(StringComparer.Ordinal))
        {
            var ours = OurName(name);
            if (expected.ContainsKey(ours)) byOurName[ours] = name;
            else if (Unused.IsMatch(name)) dropped.Add(name);
            else unexpected.Add(name);
        }
        if (unexpected.Count > 0) throw new InputException(source.Path, $"unexpected tensors: {Checkpoint.Summarise(unexpected)}");
        var missing = expected.Keys.Where(k => !byOurName.ContainsKey(k) && !k.EndsWith(".num_batches_tracked", StringComparison.Ordinal)).ToList();
        if (missing.Count > 0) throw new InputException(source.Path, $"missing tensors: {Checkpoint.Summarise(missing)}");

        var values = new Dictionary<string, (long[] Shape, float[] Data)>();
        foreach (var (ours, name) in byOurName)
        {
            var (shape, data) = source.Tensors[name];
            var want = expected[ours].shape;
            if (!shape.SequenceEqual(want))
            {
                // paddle.nn.Linear keeps its weight as [in, out], torch as [out, in].
                if (source.IsPaddle && shape.Length == 2 && shape[0] == want[1] && shape[1] == want[0] && name.EndsWith(".weight", StringComparison.Ordinal))
                    (shape, data) = (want, Transpose(data, (int)shape[0], (int)shape[1]));
                else
                    throw new InputException(source.Path, $"tensor {name} has shape [{string.Join(",", shape)}], the network needs [{string.Join(",", want)}]");
            }
            values[ours] = (shape, data);
        }

        using var noGc = new NoGcRegion(); // TorchSharp temporaries must outlive their native calls
        using var noGrad = no_grad();
        foreach (var (ours, target) in expected)
        {
            using var scope = NewDisposeScope();
            if (values.TryGetValue(ours, out var v)) target.copy_(tensor(v.Data, v.Shape).to(target.dtype));
            else target.zero_(); // num_batches_tracked: Paddle does not count, and eval mode never reads it
        }
        return dropped;
    }

    static float[] Transpose(float[] data, int rows, int cols)
    {
        var t = new float[data.Length];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
                t[c * rows + r] = data[r * cols + c];
        return t;
    }

    /// <summary>A safetensors file's tensors as float32 (F32, F64, F16 and BF16 are read).</summary>
    static Dictionary<string, (long[] Shape, float[] Data)> ReadSafetensors(string path)
    {
        SafetensorsHeader.Read(path); // reports a truncated or malformed file by name
        var bytes = File.ReadAllBytes(path);
        var headerLength = (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        var result = new Dictionary<string, (long[], float[])>(StringComparer.Ordinal);
        using var doc = JsonDocument.Parse(bytes.AsMemory(8, (int)headerLength));
        foreach (var entry in doc.RootElement.EnumerateObject())
        {
            if (entry.Name == "__metadata__") continue;
            var dtype = entry.Value.GetProperty("dtype").GetString();
            var shape = entry.Value.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray();
            var offsets = entry.Value.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()).ToArray();
            var raw = bytes.AsSpan((int)(8 + headerLength + offsets[0]), (int)(offsets[1] - offsets[0]));
            long count = shape.Aggregate(1L, (a, d) => a * d);
            int size = dtype switch { "F32" => 4, "F64" => 8, "F16" or "BF16" => 2, _ => 0 };
            if (size == 0) throw new InputException(path, $"tensor {entry.Name} has dtype {dtype}, expected a float type");
            if (raw.Length != count * size) throw new InputException(path, $"tensor {entry.Name} holds {raw.Length} bytes for shape [{string.Join(",", shape)}] of {dtype}");
            var data = new float[count];
            for (int i = 0; i < count; i++)
                data[i] = dtype switch
                {
                    "F32" => BinaryPrimitives.ReadSingleLittleEndian(raw[(4 * i)..]),
                    "F64" => (float)BinaryPrimitives.ReadDoubleLittleEndian(raw[(8 * i)..]),
                    "F16" => (float)BinaryPrimitives.ReadHalfLittleEndian(raw[(2 * i)..]),
                    _ => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(raw[(2 * i)..]) << 16),
                };
            result[entry.Name] = (shape, data);
        }
        return result;
    }
}

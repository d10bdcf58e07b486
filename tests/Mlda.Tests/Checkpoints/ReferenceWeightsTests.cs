using Mlda.Checkpoints;
using Mlda.Core;
using Mlda.Core.Imaging;
using Mlda.Evaluation;
using Mlda.Networks;
using Mlda.Prediction;
using Mlda.Tests.Evaluation;
using TorchSharp;
using static TorchSharp.torch;

namespace Mlda.Tests.Checkpoints;

/// <summary>
/// Our networks written as the reference's four .pdparams (Paddle names, [in, out] Linear weights, the tensors the
/// reference builds but never calls, the structured-name table), once for the tests below.
/// </summary>
public sealed class PdparamsFixture : IDisposable
{
    public TempDir Temp { get; } = new();
    public string Dir => Temp["pdparams"];
    public ModelOptions Options { get; } = new(64, 96, PoseEncoderKind.Mlda);
    public MldaNetworks Nets { get; }

    public PdparamsFixture()
    {
        Directory.CreateDirectory(Dir);
        Nets = MldaNetworks.Create(Options, imageNetPretrained: false, seed: 5);
        // The running statistics are not the defaults, so that a mix-up of _mean and _variance shows.
        using (no_grad())
            foreach (var (_, module) in Nets.Named())
                foreach (var (key, t) in module.state_dict())
                    if (key.EndsWith("running_mean")) t.uniform_(-0.2, 0.2);
                    else if (key.EndsWith("running_var")) t.uniform_(0.5, 1.5);
        // Large files as Paddle's default protocol 4 (bytes as they are), small ones as protocol 2 (_codecs.encode);
        // numpy 1.x and 2.x module names.
        Write(MldaNetworks.EncoderName, 4, "numpy.core.multiarray");
        Write(MldaNetworks.DepthName, 2, "numpy._core.multiarray");
        Write(MldaNetworks.PoseEncoderName, 4, "numpy._core.multiarray");
        Write(MldaNetworks.PoseName, 2, "numpy.core.multiarray");
    }

    void Write(string network, int protocol, string numpyCore)
    {
        var module = Nets.Named().Single(n => n.Name == network).Module;
        PdparamsWriter.Write(Path.Combine(Dir, network + ".pdparams"), PaddleTensors(module, network), protocol, numpyCore);
    }

    /// <summary>A state dict as Paddle names it, with the unused reference tensors added.</summary>
    public static List<(string Name, long[] Shape, float[] Data)> PaddleTensors(nn.Module module, string network)
    {
        var list = new List<(string, long[], float[])>();
        foreach (var (key, t) in module.state_dict())
        {
            if (key.EndsWith(".num_batches_tracked")) continue;
            var name = key.EndsWith(".running_mean") ? key[..^"running_mean".Length] + "_mean"
                : key.EndsWith(".running_var") ? key[..^"running_var".Length] + "_variance" : key;
            list.Add((name, t.shape, t.to(float32).contiguous().data<float>().ToArray()));
        }
        var rng = new Random(1);
        float[] Random(int n) => Enumerable.Range(0, n).Select(_ => (float)rng.NextDouble()).ToArray();
        if (network is MldaNetworks.EncoderName or MldaNetworks.PoseEncoderName)
        {
            list.Add(("encoder.fc.weight", [512, 1000], Random(512 * 1000))); // paddle.nn.Linear: [in, out]
            list.Add(("encoder.fc.bias", [1000], Random(1000)));
        }
        if (network == MldaNetworks.DepthName)
        {
            list.Add(("decoder.7.conv.conv.weight", [256, 512, 3, 3], Random(256 * 512 * 9)));
            list.Add(("decoder.7.bn._mean", [256], Random(256)));
            list.Add(("decoder.19.attention.K.weight", [2, 16, 1, 1], Random(32)));
        }
        return list;
    }

    public void Dispose()
    {
        Nets.Dispose();
        Temp.Dispose();
    }
}

public class ReferenceWeightsTests(PdparamsFixture pd) : IClassFixture<PdparamsFixture>
{
    static ByteImage Image(int h, int w, int seed)
    {
        var rng = new Random(seed);
        var px = new byte[h * w * 3];
        rng.NextBytes(px);
        return new ByteImage(h, w, 3, px);
    }

    [Fact]
    public void Imported_pdparams_predict_exactly_what_the_original_networks_predict()
    {
        var outDir = pd.Temp["imported"];
        var result = ReferenceWeights.Import(pd.Dir, outDir, pd.Options.Height, pd.Options.Width);
        Assert.Equal(["encoder.fc.bias", "encoder.fc.weight"], result.Dropped["encoder"]);
        Assert.Equal(["encoder.fc.bias", "encoder.fc.weight"], result.Dropped["pose_encoder"]);
        Assert.Equal(["decoder.19.attention.K.weight", "decoder.7.bn._mean", "decoder.7.conv.conv.weight"], result.Dropped["depth"]);
        Assert.Empty(result.Dropped["pose"]);
        Assert.Equal(Mlda.Core.Prediction.TrainingMode.MonoStereo, Checkpoint.ReadOptions(outDir).TrainingMode);

        using var imported = Checkpoint.Load(outDir);
        foreach (var ((name, a), (_, b)) in pd.Nets.Named().Zip(imported.Named()))
        {
            var theirs = b.state_dict();
            foreach (var (key, t) in a.state_dict())
                if (!key.EndsWith("num_batches_tracked"))
                    Assert.True(t.equal(theirs[key]).all().item<bool>(), $"{name}.{key} differs");
        }
        var images = new[] { Image(64, 96, 1), Image(64, 96, 2) };
        var expected = Disparities(pd.Nets, images);
        var actual = Disparities(imported, images);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Safetensors_with_the_reference_names_import_too()
    {
        var dir = pd.Temp["safetensors"];
        Directory.CreateDirectory(dir);
        // What a conversion elsewhere gives: torch names (running_mean), the unused classifier still there.
        foreach (var n in new[] { "encoder", "depth", "pose_encoder", "pose" })
        {
            var tensors = PdparamsFixture.PaddleTensors(pd.Nets.Named().Single(x => x.Name == n).Module, n)
                .Select(t => (Name: t.Name.Replace("._mean", ".running_mean").Replace("._variance", ".running_var"), t.Shape, t.Data))
                .Select(t => t.Name == "encoder.fc.weight" ? (t.Name, new long[] { 1000, 512 }, t.Data) : t)
                .ToList();
            WriteSafetensors(Path.Combine(dir, n + ".safetensors"), tensors);
        }
        var outDir = pd.Temp["imported-st"];
        var result = ReferenceWeights.Import(dir, outDir, pd.Options.Height, pd.Options.Width);
        Assert.Equal(2, result.Dropped["encoder"].Count);
        using var imported = Checkpoint.Load(outDir);
        var image = new[] { Image(64, 96, 3) };
        Assert.Equal(Disparities(pd.Nets, image), Disparities(imported, image));
    }

    /// <summary>The sigmoid disparities of RGB images at the network size, through the one prediction path.</summary>
    static float[] Disparities(MldaNetworks nets, ByteImage[] images)
    {
        using var model = new TorchDisparityModel(nets, ownsNetworks: false);
        var mats = images.Select(i => i.SwapRedBlue().ToMat()).ToArray();
        try
        {
            var predicted = new Mlda.Core.Prediction.DepthPredictor(model, new Mlda.Core.Prediction.DepthScaling()).PredictNetworkSize(mats);
            return predicted.Sigmoid.SelectMany(m => m.Values).ToArray();
        }
        finally
        {
            foreach (var m in mats) m.Dispose();
        }
    }

    /// <summary>A float32 safetensors file: 8-byte header length, the JSON table, the data.</summary>
    static void WriteSafetensors(string path, List<(string Name, long[] Shape, float[] Data)> tensors)
    {
        var header = new System.Text.Json.Nodes.JsonObject();
        long offset = 0;
        foreach (var (name, shape, data) in tensors)
        {
            header[name] = new System.Text.Json.Nodes.JsonObject
            {
                ["dtype"] = "F32",
                ["shape"] = new System.Text.Json.Nodes.JsonArray(shape.Select(d => (System.Text.Json.Nodes.JsonNode?)d).ToArray()),
                ["data_offsets"] = new System.Text.Json.Nodes.JsonArray(offset, offset + data.Length * 4L),
            };
            offset += data.Length * 4L;
        }
        var json = System.Text.Encoding.UTF8.GetBytes(header.ToJsonString());
        using var f = File.Create(path);
        f.Write(BitConverter.GetBytes((ulong)json.Length));
        f.Write(json);
        foreach (var (_, _, data) in tensors)
        {
            var raw = new byte[data.Length * 4];
            Buffer.BlockCopy(data, 0, raw, 0, raw.Length);
            f.Write(raw);
        }
    }

    /// <summary>A copy of the fixture's folder with <paramref name="network"/>.pdparams replaced (or removed when null).</summary>
    string Damaged(string name, string network, byte[]? bytes)
    {
        var dir = pd.Temp[name];
        Directory.CreateDirectory(dir);
        foreach (var f in Directory.GetFiles(pd.Dir)) File.Copy(f, Path.Combine(dir, Path.GetFileName(f)));
        var path = Path.Combine(dir, network + ".pdparams");
        if (bytes is null) File.Delete(path);
        else File.WriteAllBytes(path, bytes);
        return dir;
    }

    void AssertRefused(string from, string outName, params string[] mustName)
    {
        var outDir = pd.Temp[outName];
        var o = MldaProcess.Run("import-weights", "--from", from, "--out", outDir, "--height", "64", "--width", "96");
        MldaProcess.AssertBadInput(o, mustName);
        Assert.False(Directory.Exists(outDir));
        Assert.DoesNotContain(Directory.GetDirectories(pd.Temp.Path), d => Path.GetFileName(d).StartsWith($".{outName}."));
    }

    [Fact]
    public void Bad_pdparams_are_one_line_errors_with_exit_code_2_and_no_folder()
    {
        var pose = File.ReadAllBytes(Path.Combine(pd.Dir, "pose.pdparams"));
        AssertRefused(Damaged("not-pickle", "pose", "PK\x03\x04 not a pickle"u8.ToArray()), "o1", "pose.pdparams", "not a pickle");
        AssertRefused(Damaged("truncated", "pose", pose[..(pose.Length / 2)]), "o2", "pose.pdparams", "truncated");
        // protocol 2: GLOBAL 'os system', a string, TUPLE1, REDUCE: what a malicious file would do.
        var evil = new byte[] { 0x80, 2 }.Concat("cos\nsystem\nX\u0002\0\0\0ls\u0085R."u8.ToArray()).ToArray();
        AssertRefused(Damaged("global", "pose", evil), "o3", "pose.pdparams", "os.system");
        AssertRefused(Damaged("missing", "depth", null), "o4", "depth.pdparams", "missing");

        // The pose decoder with one tensor of the wrong shape, and one with a name the networks do not have.
        var tensors = PdparamsFixture.PaddleTensors(pd.Nets.Pose, "pose");
        var shaped = tensors.Select((t, i) => i == 0 ? (t.Name, new[] { t.Shape[0] + 1 }.Concat(t.Shape.Skip(1)).ToArray(), new float[(t.Shape[0] + 1) * t.Shape.Skip(1).Aggregate(1L, (a, d) => a * d)]) : t).ToList();
        AssertRefused(Damaged("shape", "pose", PdparamsWriter.Bytes(shaped)), "o5", "pose.pdparams", tensors[0].Name, "shape");
        var renamed = tensors.Append(("net.9.weight", [1], [0f])).ToList();
        AssertRefused(Damaged("name", "pose", PdparamsWriter.Bytes(renamed)), "o6", "pose.pdparams", "unexpected", "net.9.weight");
    }
}

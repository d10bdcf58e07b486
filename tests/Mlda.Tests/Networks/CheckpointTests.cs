using Mlda.Checkpoints;
using Mlda.Core;
using Mlda.Networks;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Mlda.Tests.Networks;

/// <summary>One saved model folder (light pose encoder, to keep the files small), shared by the tests below.</summary>
public sealed class SavedModelFixture : IDisposable
{
    public TempDir Temp { get; } = new();
    public string Dir => Temp["model"];
    public ModelOptions Options { get; } = new(64, 96, PoseEncoderKind.Light, MinDepth: 0.2, MaxDepth: 80);
    public Dictionary<string, Tensor> Saved { get; } = new();

    public SavedModelFixture()
    {
        using var nets = MldaNetworks.Create(Options, imageNetPretrained: false, seed: 21);
        Checkpoint.Save(Dir, nets);
        foreach (var (name, module) in nets.Named())
            foreach (var (key, t) in module.state_dict())
                Saved[$"{name}.{key}"] = t.clone();
    }

    /// <summary>A copy of the saved folder to damage.</summary>
    public string CopyTo(string name)
    {
        var copy = Temp[name];
        Directory.CreateDirectory(copy);
        foreach (var f in Directory.GetFiles(Dir)) File.Copy(f, Path.Combine(copy, Path.GetFileName(f)));
        return copy;
    }

    public void Dispose()
    {
        foreach (var t in Saved.Values) t.Dispose();
        Temp.Dispose();
    }
}

public class CheckpointTests(SavedModelFixture saved) : IClassFixture<SavedModelFixture>
{
    [Fact]
    public void Save_writes_one_file_per_network_and_the_options()
    {
        var files = Directory.GetFiles(saved.Dir).Select(Path.GetFileName).Order().ToArray();
        Assert.Equal(new[] { "depth.safetensors", "encoder.safetensors", "options.json", "pose.safetensors", "pose_encoder.safetensors" }, files);
        Assert.DoesNotContain(Directory.GetDirectories(saved.Temp.Path), d => Path.GetFileName(d).StartsWith('.'));
        var header = SafetensorsHeader.Read(Checkpoint.FileOf(saved.Dir, "encoder"));
        Assert.Equal(new long[] { 64, 3, 3, 3 }, header.Tensors["convs10.weight"].Shape);
        Assert.Contains("bn10.running_mean", header.Tensors.Keys);
        Assert.Contains("encoder.layer1.0.conv1.weight", header.Tensors.Keys);
        Assert.Contains("decoder.6.conv.conv.weight", SafetensorsHeader.Read(Checkpoint.FileOf(saved.Dir, "depth")).Tensors.Keys);
    }

    [Fact]
    public void Load_restores_every_tensor_and_the_options()
    {
        using var nets = Checkpoint.Load(saved.Dir);
        Assert.Equal(saved.Options.Height, nets.Options.Height);
        Assert.Equal(saved.Options.Width, nets.Options.Width);
        Assert.Equal(saved.Options.PoseEncoder, nets.Options.PoseEncoder);
        Assert.Equal(saved.Options.MinDepth, nets.Options.MinDepth);
        Assert.Equal(saved.Options.MaxDepth, nets.Options.MaxDepth);
        var count = 0;
        foreach (var (name, module) in nets.Named())
            foreach (var (key, t) in module.state_dict())
            {
                Assert.True(TensorAssert.Identical(saved.Saved[$"{name}.{key}"], t), $"{name}.{key}");
                count++;
            }
        Assert.Equal(saved.Saved.Count, count);
    }

    [Fact]
    public void Depth_only_load_builds_no_pose_networks()
    {
        using var nets = Checkpoint.Load(saved.Dir, depthOnly: true);
        Assert.False(nets.HasPose);
        Assert.Equal(2, nets.Named().Count());
        Assert.Throws<InvalidOperationException>(() => nets.Pose);
        Assert.True(TensorAssert.Identical(saved.Saved["depth.decoder.21.conv.weight"], nets.Depth.state_dict()["decoder.21.conv.weight"]));
    }

    [Fact]
    public void Saving_again_replaces_the_folder_whole()
    {
        var dir = saved.CopyTo("resave");
        File.WriteAllText(Path.Combine(dir, "stale.txt"), "left over");
        using (var nets = Checkpoint.Load(saved.Dir, depthOnly: true)) Checkpoint.Save(dir, nets);
        Assert.False(File.Exists(Path.Combine(dir, "stale.txt")));
        Assert.False(File.Exists(Checkpoint.FileOf(dir, "pose")));
        Assert.True(File.Exists(Checkpoint.FileOf(dir, "depth")));
    }

    [Fact]
    public void Missing_folder_options_or_file_is_an_input_error_naming_it()
    {
        var e1 = Assert.Throws<InputException>(() => Checkpoint.Load(saved.Temp["nowhere"]));
        Assert.Contains("nowhere", e1.Message);

        var noOptions = saved.CopyTo("no-options");
        File.Delete(Path.Combine(noOptions, "options.json"));
        Assert.Contains("options.json", Assert.Throws<InputException>(() => Checkpoint.Load(noOptions)).Message);

        var badOptions = saved.CopyTo("bad-options");
        File.WriteAllText(Path.Combine(badOptions, "options.json"), "{ \"Height\": 100, \"Width\": 640 }");
        Assert.Contains("multiples of 32", Assert.Throws<InputException>(() => Checkpoint.Load(badOptions)).Message);

        var noPose = saved.CopyTo("no-pose");
        File.Delete(Checkpoint.FileOf(noPose, "pose"));
        var e2 = Assert.Throws<InputException>(() => Checkpoint.Load(noPose));
        Assert.Contains("pose.safetensors", e2.Message);
        using var depthOnly = Checkpoint.Load(noPose, depthOnly: true);   // not needed for depth
    }

    [Fact]
    public void Missing_extra_and_mis_shaped_tensors_are_named()
    {
        var dir = saved.CopyTo("wrong-tensors");
        // pose.safetensors replaced by a 3-network-wide mismatch: the depth decoder's tensors.
        File.Copy(Checkpoint.FileOf(saved.Dir, "depth"), Checkpoint.FileOf(dir, "pose"), overwrite: true);
        var e = Assert.Throws<InputException>(() => Checkpoint.Load(dir));
        Assert.StartsWith(Checkpoint.FileOf(dir, "pose"), e.Message);
        Assert.Contains("missing tensors: net.0.weight", e.Message);
        Assert.Contains("unexpected tensors: decoder.", e.Message);

        var shapes = saved.CopyTo("wrong-shapes");
        using (var sixChannel = new MldaEncoder("encoder", 2, 64, 96)) sixChannel.save_safetensors(Checkpoint.FileOf(shapes, "encoder"));
        var e2 = Assert.Throws<InputException>(() => Checkpoint.Load(shapes));
        Assert.Contains("encoder.safetensors", e2.Message);
        Assert.Contains("wrong shapes: convs10.weight [64,6,3,3] (expected [64,3,3,3])", e2.Message);
        Assert.DoesNotContain("missing", e2.Message);
    }

    [Fact]
    public void Truncated_or_foreign_files_are_input_errors()
    {
        var dir = saved.CopyTo("truncated");
        var path = Checkpoint.FileOf(dir, "depth");
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        var e = Assert.Throws<InputException>(() => Checkpoint.Load(dir, depthOnly: true));
        Assert.StartsWith(path, e.Message);
        Assert.Contains("truncated", e.Message);

        File.WriteAllText(path, "this is not a safetensors file at all");
        Assert.StartsWith(path, Assert.Throws<InputException>(() => Checkpoint.Load(dir, depthOnly: true)).Message);
    }
}

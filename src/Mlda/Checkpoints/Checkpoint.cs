using System.Text.Json;
using Mlda.Core;
using Mlda.Interop;
using Mlda.Networks;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Mlda.Checkpoints;

/// <summary>
/// A model folder: one safetensors file per network (<c>encoder</c>, <c>depth</c>, <c>pose_encoder</c>, <c>pose</c>),
/// tensor names in the reference's state-dict spelling (torch style: <c>bn10.running_mean</c>), plus
/// <c>options.json</c>, the <see cref="ModelOptions"/> that rebuild the architecture.
/// </summary>
public static class Checkpoint
{
    public const string OptionsFile = "options.json";
    public const string Extension = ".safetensors";

    static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static string FileOf(string dir, string network) => Path.Combine(dir, network + Extension);

    /// <summary>
    /// Writes the networks into <paramref name="dir"/>: all files go to a temporary sibling folder first, which then
    /// replaces <paramref name="dir"/>, so an interrupted save never leaves a mixed or half-written set.
    /// </summary>
    public static void Save(string dir, MldaNetworks nets)
    {
        var full = Path.GetFullPath(dir);
        var parent = Path.GetDirectoryName(full) ?? throw new ArgumentException($"{dir} has no parent folder");
        Directory.CreateDirectory(parent);
        var tmp = Path.Combine(parent, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        var old = tmp + ".old";
        Directory.CreateDirectory(tmp);
        try
        {
            foreach (var (name, module) in nets.Named())
                module.save_safetensors(FileOf(tmp, name));
            File.WriteAllText(Path.Combine(tmp, OptionsFile), JsonSerializer.Serialize(nets.Options, Json));
            if (Directory.Exists(full))
            {
                Directory.Move(full, old);
                Directory.Move(tmp, full);
                Directory.Delete(old, true);
            }
            else
            {
                Directory.Move(tmp, full);
            }
        }
        finally
        {
            if (Directory.Exists(tmp)) Directory.Delete(tmp, true);
        }
    }

    /// <summary>Reads <c>options.json</c> of a model folder.</summary>
    public static ModelOptions ReadOptions(string dir)
    {
        var path = Path.Combine(dir, OptionsFile);
        if (!File.Exists(path)) throw new InputException(path, "missing: not a model folder");
        ModelOptions? options;
        try
        {
            options = JsonSerializer.Deserialize<ModelOptions>(File.ReadAllText(path), Json);
        }
        catch (JsonException e)
        {
            throw new InputException(path, $"unreadable model options: {e.Message}", e.LineNumber is { } l ? (int)l + 1 : null, e);
        }
        if (options is null) throw new InputException(path, "empty model options");
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            throw new InputException(path, e.Message, inner: e);
        }
        return options;
    }

    /// <summary>
    /// Loads a model folder onto <paramref name="device"/> (CPU by default). With <paramref name="depthOnly"/> only
    /// the encoder and the depth decoder are built and read. Missing, extra or mis-shaped tensors fail with an
    /// <see cref="InputException"/> naming the file and the tensors.
    /// </summary>
    public static MldaNetworks Load(string dir, Device? device = null, bool depthOnly = false)
    {
        if (!Directory.Exists(dir)) throw new InputException(dir, "model folder not found");
        using var noGc = new NoGcRegion(); // TorchSharp temporaries must outlive their native calls
        var options = ReadOptions(dir);
        var nets = MldaNetworks.CreateForLoading(options, withPose: !depthOnly);
        try
        {
            foreach (var (name, module) in nets.Named())
                LoadModule(module, FileOf(dir, name));
            if (device is not null) nets.To(device);
            return nets;
        }
        catch
        {
            nets.Dispose();
            throw;
        }
    }

    /// <summary>Checks a file's tensor table against the module's state dict, then loads it.</summary>
    public static void LoadModule(nn.Module module, string path)
    {
        var header = SafetensorsHeader.Read(path);
        var expected = module.state_dict();
        var missing = expected.Keys.Where(k => !header.Tensors.ContainsKey(k)).ToList();
        var extra = header.Tensors.Keys.Where(k => !expected.ContainsKey(k)).ToList();
        var misShaped = expected
            .Where(e => header.Tensors.TryGetValue(e.Key, out var h) && !h.Shape.SequenceEqual(e.Value.shape))
            .Select(e => $"{e.Key} [{string.Join(",", header.Tensors[e.Key].Shape)}] (expected [{string.Join(",", e.Value.shape)}])")
            .ToList();
        var problems = new List<string>();
        if (missing.Count > 0) problems.Add($"missing tensors: {Summarise(missing)}");
        if (extra.Count > 0) problems.Add($"unexpected tensors: {Summarise(extra)}");
        if (misShaped.Count > 0) problems.Add($"wrong shapes: {Summarise(misShaped)}");
        if (problems.Count > 0) throw new InputException(path, string.Join("; ", problems));
        try
        {
            module.load_safetensors(path, strict: true);
        }
        catch (Exception e) when (e is not InputException)
        {
            throw new InputException(path, $"unreadable weights: {e.Message}", inner: e);
        }
    }

    static string Summarise(List<string> names) =>
        names.Count <= 8 ? string.Join(", ", names) : $"{string.Join(", ", names.Take(8))} and {names.Count - 8} more";
}

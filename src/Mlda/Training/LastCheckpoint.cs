using Mlda.Checkpoints;
using Mlda.Core.IO;
using Mlda.Networks;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Mlda.Training;

/// <summary>
/// A run's resumable <c>models/last</c>: weights, optimiser state, random state and training state together,
/// replaced as a whole (<see cref="AtomicDirectory"/>), so that a kill at any instant leaves a complete, loadable
/// <c>last</c>; what a kill left beside it is removed by <see cref="Clean"/> when the run next starts.
/// </summary>
public static class LastCheckpoint
{
    public const string OptimizerFile = "optimizer.bin";
    public const string RandomStateFile = "torch_rng_state.bin";

    public static void Save(string path, MldaNetworks nets, Adam optimizer, TrainingState state, Action<AtomicDirectory.Step>? after = null) =>
        AtomicDirectory.Replace(path, dir =>
        {
            Checkpoint.Save(dir, nets);
            optimizer.save_state_dict(Path.Combine(dir, OptimizerFile));
            using (var rng = get_rng_state()) File.WriteAllBytes(Path.Combine(dir, RandomStateFile), rng.bytes.ToArray());
            File.WriteAllText(Path.Combine(dir, TrainingState.FileName), state.ToJson());
        }, after);

    /// <summary>
    /// Clears what an interrupted save left beside <paramref name="path"/>, including the temporaries of the earlier
    /// scheme (<c>.last.&lt;pid&gt;.&lt;guid&gt;.tmp</c>, and its <c>.tmp.old</c>, which is the complete previous
    /// <c>last</c> when a kill came between its two renames).
    /// </summary>
    public static void Clean(string path)
    {
        var full = Path.GetFullPath(path);
        var parent = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(parent)) return;
        var name = Path.GetFileName(full);
        foreach (var old in Directory.EnumerateDirectories(parent, $".{name}.*.tmp.old"))
        {
            if (!Directory.Exists(full)) Directory.Move(old, full);
            else Directory.Delete(old, recursive: true);
        }
        foreach (var partial in Directory.EnumerateDirectories(parent, $".{name}.*.tmp"))
            Directory.Delete(partial, recursive: true);
        AtomicDirectory.Clean(full);
    }
}

using Mlda.Checkpoints;
using Mlda.Core.IO;
using Mlda.Networks;
using Mlda.Training;
using static TorchSharp.torch;

namespace Mlda.Tests.Training;

public class LastCheckpointTests
{
    sealed class Killed : Exception;

    static long LoadableStep(string last)
    {
        using var nets = Checkpoint.Load(last, depthOnly: true);
        Assert.True(File.Exists(Path.Combine(last, LastCheckpoint.OptimizerFile)));
        return TrainingState.Read(Path.Combine(last, TrainingState.FileName)).GlobalStep;
    }

    /// <summary>Saves <paramref name="step"/> and "kills" the process after <paramref name="stop"/>; false when that step never came.</summary>
    static bool SaveKilledAfter(string last, MldaNetworks nets, TorchSharp.Modules.Adam adam, long step, AtomicDirectory.Step stop)
    {
        try
        {
            LastCheckpoint.Save(last, nets, adam, new TrainingState { GlobalStep = step }, s => { if (s == stop) throw new Killed(); });
            return false;
        }
        catch (Killed)
        {
            return true;
        }
    }

    static string[] Entries(string dir) => Directory.GetFileSystemEntries(dir).Select(Path.GetFileName).Order().ToArray()!;

    [Fact]
    public void A_kill_after_any_step_of_the_replacement_leaves_a_loadable_last_and_the_next_start_clears_the_rest()
    {
        using var tmp = new TempDir();
        var models = tmp["models"];
        var last = Path.Combine(models, Trainer.LastDir);
        using var nets = MldaNetworks.Create(new ModelOptions(64, 128, PoseEncoderKind.Light), imageNetPretrained: false, seed: 0, withPose: false);
        using var adam = optim.Adam(nets.TrainableParameters(), 1e-4);
        LastCheckpoint.Save(last, nets, adam, new TrainingState { GlobalStep = 1 });
        long current = 1;
        foreach (var stop in Enum.GetValues<AtomicDirectory.Step>().Where(s => s != AtomicDirectory.Step.MovedAside))
        {
            long next = current + 1;
            Assert.True(SaveKilledAfter(last, nets, adam, next, stop), $"{stop} was not reached");
            if (stop >= AtomicDirectory.Step.Swapped) current = next;
            Assert.Equal(current, LoadableStep(last));                 // complete at this instant, before any repair
            LastCheckpoint.Clean(last);                                 // the next start
            Assert.Equal(current, TrainingState.Read(Path.Combine(last, TrainingState.FileName)).GlobalStep);
            Assert.Equal(2, Entries(models).Length);                    // "last" and the folder it points to, nothing else
        }
    }

    [Fact]
    public void Replacing_a_plain_last_folder_of_the_earlier_scheme_survives_a_kill_at_its_extra_step()
    {
        using var tmp = new TempDir();
        var models = tmp["models"];
        var last = Path.Combine(models, Trainer.LastDir);
        using var nets = MldaNetworks.Create(new ModelOptions(64, 128, PoseEncoderKind.Light), imageNetPretrained: false, seed: 0, withPose: false);
        using var adam = optim.Adam(nets.TrainableParameters(), 1e-4);
        LastCheckpoint.Save(last, nets, adam, new TrainingState { GlobalStep = 1 });
        var target = new DirectoryInfo(last).ResolveLinkTarget(true)!.FullName;
        File.Delete(last);
        Directory.Move(target, last);                                   // models/last as a plain folder
        Assert.True(SaveKilledAfter(last, nets, adam, 2, AtomicDirectory.Step.MovedAside));
        // The one instant without "last" (moving a plain folder aside); the next start links the new, complete one.
        LastCheckpoint.Clean(last);
        Assert.Equal(2, LoadableStep(last));
        Assert.Equal(2, Entries(models).Length);
    }

    [Fact]
    public void Temporaries_of_the_earlier_scheme_are_cleared_and_its_old_copy_recovered_when_last_is_missing()
    {
        using var tmp = new TempDir();
        var models = tmp["models"];
        Directory.CreateDirectory(Path.Combine(models, ".last.123.abc.tmp"));
        Directory.CreateDirectory(Path.Combine(models, ".last.123.abc.tmp.old"));
        File.WriteAllText(Path.Combine(models, ".last.123.abc.tmp.old", "marker"), "old");
        Directory.CreateDirectory(Path.Combine(models, "last.backup"));   // not ours: stays
        LastCheckpoint.Clean(Path.Combine(models, Trainer.LastDir));
        Assert.Equal(["last", "last.backup"], Directory.GetFileSystemEntries(models).Select(Path.GetFileName).Order());
        Assert.Equal("old", File.ReadAllText(Path.Combine(models, "last", "marker")));
    }
}

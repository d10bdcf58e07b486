using System.Diagnostics;

namespace Mlda.Tests;

public class StaleTestFoldersTests
{
    [Fact]
    public void Sweep_removes_the_folders_of_ended_test_processes_only()
    {
        using var root = new TempDir();
        using var ended = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        ended.WaitForExit();
        var dead = Directory.CreateDirectory(root[$"mlda-test-{ended.Id}-left-by-a-killed-run"]).FullName;
        File.WriteAllText(Path.Combine(dead, "checkpoint.bin"), "x");
        var mine = Directory.CreateDirectory(StaleTestFolders.NewPath(root.Path, "in-use")).FullName;
        var unknown = Directory.CreateDirectory(root["mlda-test-0a1b2c3d4e"]).FullName;   // no process id: not ours to judge

        Assert.Equal(1, StaleTestFolders.Sweep(root.Path));
        Assert.False(Directory.Exists(dead));
        Assert.True(Directory.Exists(mine));
        Assert.True(Directory.Exists(unknown));
    }
}

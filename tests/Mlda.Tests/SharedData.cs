namespace Mlda.Tests;

/// <summary>Locations of the read-only shared data (the real KITTI raw sample), found from the test's folder upwards.</summary>
public static class SharedData
{
    public static string KittiRawSample { get; } = Find(Path.Combine("shared", "data", "kitti_raw_sample"));

    public const string Date = "2011_09_26";
    public const string Drive = "2011_09_26_drive_0002_sync";

    static string Find(string relative)
    {
        var env = Environment.GetEnvironmentVariable("MLDA_KITTI_SAMPLE");
        if (!string.IsNullOrEmpty(env) && Directory.Exists(env)) return env;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relative);
            if (Directory.Exists(candidate)) return candidate;
            candidate = Path.Combine(dir.FullName, "..", relative);
            if (Directory.Exists(candidate)) return Path.GetFullPath(candidate);
        }
        throw new DirectoryNotFoundException($"{relative} not found above {AppContext.BaseDirectory}; set MLDA_KITTI_SAMPLE");
    }
}

/// <summary>
/// A temporary folder removed when the test ends. Its name carries the test process's id, so that folders left by a
/// run that was killed (1-2 GB each after the training and export tests) are found and removed by the next run.
/// </summary>
public sealed class TempDir : IDisposable
{
    static TempDir() => StaleTestFolders.Sweep(System.IO.Path.GetTempPath());

    public string Path { get; } = StaleTestFolders.NewPath(System.IO.Path.GetTempPath(), Guid.NewGuid().ToString("N")[..10]);
    public TempDir() => Directory.CreateDirectory(Path);
    public string this[string relative] => System.IO.Path.Combine(Path, relative);
    public void Dispose() { try { Directory.Delete(Path, true); } catch (IOException) { } }
}

/// <summary>Test folders are named <c>mlda-test-{process id}-{name}</c>; a folder whose process has ended is stale.</summary>
public static class StaleTestFolders
{
    const string Prefix = "mlda-test-";

    public static string NewPath(string root, string name) => Path.Combine(root, $"{Prefix}{Environment.ProcessId}-{name}");

    /// <summary>Removes the test folders under <paramref name="root"/> whose process is no longer running; returns how many.</summary>
    public static int Sweep(string root)
    {
        int removed = 0;
        foreach (var dir in Directory.EnumerateDirectories(root, Prefix + "*"))
        {
            var rest = Path.GetFileName(dir)[Prefix.Length..];
            var dash = rest.IndexOf('-');
            if (dash <= 0 || !int.TryParse(rest[..dash], out var pid) || IsRunning(pid)) continue;
            try
            {
                Directory.Delete(dir, true);
                removed++;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
        return removed;
    }

    static bool IsRunning(int pid)
    {
        try
        {
            using var p = System.Diagnostics.Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}

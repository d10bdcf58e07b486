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

/// <summary>A temporary folder removed when the test ends.</summary>
public sealed class TempDir : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "mlda-test-" + Guid.NewGuid().ToString("N")[..10]);
    public TempDir() => Directory.CreateDirectory(Path);
    public string this[string relative] => System.IO.Path.Combine(Path, relative);
    public void Dispose() { try { Directory.Delete(Path, true); } catch (IOException) { } }
}

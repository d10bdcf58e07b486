using System.Diagnostics;

namespace Mlda.Tests.Cli;

/// <summary>
/// A small tmpfs mounted for one test (a full disk, a read-only file system), where mounting is allowed (root);
/// <see cref="TryMount"/> gives null elsewhere and the test says it was skipped.
/// </summary>
sealed class ScratchDisk : IDisposable
{
    public string Path { get; }

    ScratchDisk(string path) => Path = path;

    public string this[string relative] => System.IO.Path.Combine(Path, relative);

    public static ScratchDisk? TryMount(int kilobytes, bool readOnly = false)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "mlda-disk-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(path);
        if (Run("mount", "-t", "tmpfs", "-o", $"size={kilobytes}k{(readOnly ? ",ro" : "")}", "tmpfs", path) == 0) return new ScratchDisk(path);
        Directory.Delete(path);
        return null;
    }

    static int Run(string file, params string[] args)
    {
        try
        {
            var psi = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var a in args) psi.ArgumentList.Add(a);
            using var p = Process.Start(psi)!;
            p.WaitForExit();
            return p.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return -1; // no mount program
        }
    }

    public void Dispose()
    {
        Run("umount", Path);
        try { Directory.Delete(Path, true); } catch (IOException) { }
    }
}

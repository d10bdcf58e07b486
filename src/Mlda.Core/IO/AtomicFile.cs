namespace Mlda.Core.IO;

/// <summary>
/// Writes go to a temporary sibling and are renamed into place, so an interrupted job never leaves a
/// half-written file under the final name (a resumed job can then trust every file that exists).
/// </summary>
public static class AtomicFile
{
    public static void Write(string path, Action<string> writeTo)
    {
        var full = System.IO.Path.GetFullPath(path);
        var dir = System.IO.Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        var ext = System.IO.Path.GetExtension(full);
        var tmp = System.IO.Path.Combine(dir, $".{System.IO.Path.GetFileNameWithoutExtension(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp{ext}");
        try
        {
            writeTo(tmp);
            File.Move(tmp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
    }

    public static void WriteAllBytes(string path, byte[] bytes) => Write(path, t => File.WriteAllBytes(t, bytes));

    public static void WriteAllText(string path, string text) => Write(path, t => File.WriteAllText(t, text));

    public static void WriteStream(string path, Action<Stream> write) => Write(path, t =>
    {
        using var s = new FileStream(t, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        write(s);
    });
}

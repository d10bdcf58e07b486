namespace Mlda.Core.IO;

/// <summary>
/// Writes go to a temporary sibling and are renamed into place, so an interrupted job never leaves a
/// half-written file under the final name (a resumed job can then trust every file that exists). A write that
/// fails for a reason of the file system (a folder that cannot be made, a full disk, a path that is a folder) is an
/// <see cref="InputException"/> naming the final path, and its temporary is removed.
/// </summary>
public static class AtomicFile
{
    public static void Write(string path, Action<string> writeTo)
    {
        var full = System.IO.Path.GetFullPath(path);
        var dir = System.IO.Path.GetDirectoryName(full)!;
        var ext = System.IO.Path.GetExtension(full);
        var tmp = System.IO.Path.Combine(dir, $".{System.IO.Path.GetFileNameWithoutExtension(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp{ext}");
        try
        {
            if (Directory.Exists(full)) throw new InputException(path, "cannot write: the output path is an existing folder");
            Directory.CreateDirectory(dir);
            writeTo(tmp);
            File.Move(tmp, full, overwrite: true);
        }
        catch (Exception e) when (FileSystemError.Is(e))
        {
            throw FileSystemError.ToInputException(e, path, "cannot write");
        }
        finally
        {
            try { if (File.Exists(tmp)) File.Delete(tmp); }
            catch (Exception e) when (FileSystemError.Is(e)) { } // the write's own error is the one to report
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

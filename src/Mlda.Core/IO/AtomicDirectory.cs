using System.Runtime.InteropServices;

namespace Mlda.Core.IO;

/// <summary>
/// A folder that is replaced as a whole, so that a complete one exists under its name at every instant, even when
/// the process is killed (a resumable checkpoint such as <c>models/last</c>). The name is a relative symbolic link
/// to <c>&lt;name&gt;.&lt;id&gt;</c>. A replacement writes <c>&lt;name&gt;.tmp-&lt;id&gt;</c>, renames it
/// <c>&lt;name&gt;.&lt;id&gt;</c> (now complete), points a new link <c>&lt;name&gt;.link-&lt;id&gt;</c> at it,
/// renames that link over the name (<c>rename(2)</c> replaces a link in one step) and removes the previous folder.
/// A kill between two steps leaves the previous or the new folder under the name and some leftovers, which
/// <see cref="Clean"/> removes at the next start.
/// </summary>
public static class AtomicDirectory
{
    /// <summary>The steps of <see cref="Replace"/>, in order (<see cref="Step.MovedAside"/> only for a plain folder).</summary>
    public enum Step { Written, Completed, Linked, MovedAside, Swapped, PreviousRemoved }

    /// <summary>
    /// Replaces the folder <paramref name="path"/> by what <paramref name="write"/> puts into the (empty, existing)
    /// folder it is given. <paramref name="after"/> is called after each step (tests stop there to simulate a kill).
    /// A failure while writing removes the partial folder and leaves <paramref name="path"/> as it was.
    /// </summary>
    public static void Replace(string path, Action<string> write, Action<Step>? after = null)
    {
        var full = Path.GetFullPath(path);
        var parent = Path.GetDirectoryName(full)!;
        var name = Path.GetFileName(full);
        var id = $"{Environment.ProcessId}-{Guid.NewGuid():N}";
        var tmp = Path.Combine(parent, $"{name}.tmp-{id}");
        var complete = Path.Combine(parent, $"{name}.{id}");
        var link = Path.Combine(parent, $"{name}.link-{id}");
        Directory.CreateDirectory(tmp);
        try
        {
            write(tmp);
        }
        catch
        {
            Directory.Delete(tmp, recursive: true);
            throw;
        }
        after?.Invoke(Step.Written);
        Rename(tmp, complete);
        after?.Invoke(Step.Completed);
        Directory.CreateSymbolicLink(link, Path.GetFileName(complete));
        after?.Invoke(Step.Linked);

        var previous = CurrentTarget(full);
        if (previous is null && Directory.Exists(full))
        {
            // A plain folder (written before links were used) cannot be renamed over: move it aside first. A kill
            // right here leaves no name, which Clean repairs by linking the newest complete folder.
            previous = Path.Combine(parent, $"{name}.{Environment.ProcessId}-{Guid.NewGuid():N}");
            Rename(full, previous);
            after?.Invoke(Step.MovedAside);
        }
        Rename(link, full);
        after?.Invoke(Step.Swapped);
        if (previous is not null && Directory.Exists(previous)) Directory.Delete(previous, recursive: true);
        after?.Invoke(Step.PreviousRemoved);
    }

    /// <summary>
    /// Removes what an interrupted <see cref="Replace"/> left beside <paramref name="path"/> (partial and unused
    /// folders, spare links) and, where a kill left no folder under the name, links the newest complete one.
    /// </summary>
    public static void Clean(string path)
    {
        var full = Path.GetFullPath(path);
        var parent = Path.GetDirectoryName(full)!;
        var name = Path.GetFileName(full);
        if (!Directory.Exists(parent)) return;
        // Only names this class makes (<name>.[tmp-|link-]<pid>-<guid>): a user's "last.backup" stays.
        var ours = new System.Text.RegularExpressions.Regex($@"^{System.Text.RegularExpressions.Regex.Escape(name)}\.(?:(tmp|link)-)?\d+-[0-9a-f]{{32}}$");
        var siblings = Directory.EnumerateFileSystemEntries(parent)
            .Select(e => (Path: e, Match: ours.Match(Path.GetFileName(e)))).Where(e => e.Match.Success).ToList();
        foreach (var (spare, _) in siblings.Where(e => e.Match.Groups[1].Value == "link")) File.Delete(spare);
        foreach (var (partial, _) in siblings.Where(e => e.Match.Groups[1].Value == "tmp")) Directory.Delete(partial, recursive: true);
        var completes = siblings.Where(e => e.Match.Groups[1].Value == "" && new FileInfo(e.Path).LinkTarget is null)
            .Select(e => e.Path).ToList();
        if (!Directory.Exists(full) && completes.Count > 0)
        {
            var newest = completes.OrderBy(Directory.GetLastWriteTimeUtc).Last();
            if (File.Exists(full) || new FileInfo(full).LinkTarget is not null) File.Delete(full);  // a dangling link
            var link = Path.Combine(parent, $"{name}.link-{Environment.ProcessId}-{Guid.NewGuid():N}");
            Directory.CreateSymbolicLink(link, Path.GetFileName(newest));
            Rename(link, full);
        }
        var current = CurrentTarget(full);
        foreach (var unused in completes.Where(d => current is null || Path.GetFullPath(d) != current))
            Directory.Delete(unused, recursive: true);
    }

    /// <summary>The folder the link <paramref name="full"/> points to, or null when it is no link.</summary>
    static string? CurrentTarget(string full)
    {
        var target = new FileInfo(full).LinkTarget;
        return target is null ? null : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(full)!, target));
    }

    static void Rename(string from, string to)
    {
        // rename(2) itself: .NET's Directory.Move refuses to replace an existing entry, File.Move may not see a
        // link to a folder as a file.
        if (rename(from, to) != 0)
            throw new IOException($"cannot rename {from} to {to}: {Marshal.GetLastPInvokeErrorMessage()}");
    }

    [DllImport("libc", SetLastError = true)]
    static extern int rename(string oldpath, string newpath);
}

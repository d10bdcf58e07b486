namespace Mlda.Core;

/// <summary>
/// The file-system failures a user causes (a folder that cannot be created or written, a full disk, an output path
/// that is an existing file or folder, an unreadable input) as one line for an <see cref="InputException"/>. The one
/// place that recognises them: <see cref="IO.AtomicFile"/> uses it for every write, the command line for the rest.
/// </summary>
public static class FileSystemError
{
    // errno values as .NET reports them in IOException.HResult on Unix.
    const int NoSpace = 28, ReadOnlyFileSystem = 30, QuotaExceeded = 122;

    /// <summary>Whether <paramref name="e"/> is a file-system failure (as opposed to a bug).</summary>
    public static bool Is(Exception e) =>
        e is IOException or UnauthorizedAccessException && e is not InputException;

    /// <summary>A short reason, then .NET's own message (which names the path it failed on).</summary>
    public static string Describe(Exception e) => Reason(e) is { } reason ? $"{reason} ({Message(e)})" : Message(e);

    /// <summary>The failure as an <see cref="InputException"/> about <paramref name="path"/>: the short reason where there is one.</summary>
    public static InputException ToInputException(Exception e, string? path, string doing) =>
        new(path, $"{doing}: {(path is not null && Reason(e) is { } reason ? reason : Describe(e))}", inner: e);

    static string Message(Exception e) => e.Message.ReplaceLineEndings(" ").Trim();

    static string? Reason(Exception e)
    {
        var message = Message(e);
        return e switch
        {
            UnauthorizedAccessException => "permission denied",
            DirectoryNotFoundException => "folder not found",
            FileNotFoundException => "file not found",
            IOException when e.HResult is NoSpace or QuotaExceeded || message.Contains("No space left", StringComparison.OrdinalIgnoreCase) => "disk full",
            IOException when e.HResult == ReadOnlyFileSystem => "read-only file system",
            _ => null,
        };
    }
}

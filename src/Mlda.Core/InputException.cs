namespace Mlda.Core;

/// <summary>
/// Bad user input: a file that is missing, truncated or malformed. The command line prints
/// <see cref="Exception.Message"/> as one line and exits with code 2, so the message always names the file
/// (and the line, where there is one).
/// </summary>
public sealed class InputException : Exception
{
    public string? Path { get; }
    public int? Line { get; }

    public InputException(string? path, string message, int? line = null, Exception? inner = null)
        : base(Format(path, line, message), inner)
    {
        Path = path;
        Line = line;
    }

    /// <summary>
    /// The first <see cref="InputException"/> among the failures of parallel workers (<c>Parallel.For</c>, PLINQ),
    /// so that a bad file met inside a worker reaches the user as its own one-line message; null if there is none.
    /// </summary>
    public static InputException? FirstIn(AggregateException e) =>
        e.Flatten().InnerExceptions.OfType<InputException>().FirstOrDefault();

    static string Format(string? path, int? line, string message) =>
        path is null ? message : line is null ? $"{path}: {message}" : $"{path}:{line}: {message}";
}

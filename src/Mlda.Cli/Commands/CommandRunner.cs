using Mlda.Core;

namespace Mlda.Cli.Commands;

/// <summary>
/// Runs a command body and turns the failures a user can cause into one line on stderr and exit code 2: an
/// <see cref="InputException"/>, a file-system failure (<see cref="FileSystemError"/>), either of them inside the
/// <see cref="AggregateException"/> of parallel workers. Everything else (a bug) keeps its stack trace, exit code 1.
/// </summary>
public static class CommandRunner
{
    public const int BadInput = 2;

    public static int Run(Func<CancellationToken, int> body)
    {
        using var cts = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            if (cts.IsCancellationRequested) return; // a second Ctrl-C kills the process
            e.Cancel = true;
            Console.Error.WriteLine("Interrupted: finishing the current step and saving...");
            cts.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        Action<string> warn = message => Console.Error.WriteLine($"warning: {message}");
        Mlda.Interop.NoGcRegion.Warning += warn;
        try
        {
            return body(cts.Token);
        }
        catch (Exception e) when (UserError(e) is { } message)
        {
            Console.Error.WriteLine($"error: {message}");
            return BadInput;
        }
        catch (AggregateException e) when (InputException.FirstIn(e) is { } bad)
        {
            // A bad file met inside a parallel worker that the library did not unwrap itself.
            Console.Error.WriteLine($"error: {bad.Message}");
            return BadInput;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("Interrupted.");
            return 130;
        }
        finally
        {
            Mlda.Interop.NoGcRegion.Warning -= warn;
            Console.CancelKeyPress -= onCancel;
        }
    }

    /// <summary>The one line for a failure the user caused, or null for a bug.</summary>
    public static string? UserError(Exception e) => e switch
    {
        InputException => e.Message.ReplaceLineEndings(" "),
        _ when FileSystemError.Is(e) => FileSystemError.Describe(e),
        AggregateException a => a.Flatten().InnerExceptions.Where(i => i is not OperationCanceledException).Select(UserError).ToList() is { Count: > 0 } all
                                && all.All(m => m is not null) ? all[0] : null,
        TypeInitializationException or System.Reflection.TargetInvocationException => e.InnerException is { } inner ? UserError(inner) : null,
        _ => null,
    };
}

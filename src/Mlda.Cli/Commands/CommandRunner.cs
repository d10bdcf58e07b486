using Mlda.Core;

namespace Mlda.Cli.Commands;

/// <summary>
/// Runs a command body and turns the failures a user can cause into one line on stderr and exit code 2.
/// Everything else (a bug) keeps its stack trace, exit code 1.
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
        catch (InputException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
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
}

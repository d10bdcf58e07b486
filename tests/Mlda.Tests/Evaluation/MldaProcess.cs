using System.Diagnostics;

namespace Mlda.Tests.Evaluation;

/// <summary>Runs the real command-line program (Mlda.Cli.dll next to the tests) in its own process.</summary>
static class MldaProcess
{
    public sealed record Outcome(int ExitCode, string Stdout, string Stderr);

    public static Outcome Run(params string[] args) => Run(TimeSpan.FromSeconds(120), args);

    /// <summary>As <see cref="Run(string[])"/>, for commands that need longer than two minutes (training on a loaded machine).</summary>
    public static Outcome Run(TimeSpan timeout, params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Mlda.Cli.dll");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException("mlda " + string.Join(' ', args));
        }
        return new Outcome(p.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Asserts a bad-input failure: exit code 2, one error line naming <paramref name="mustName"/>, no stack trace.</summary>
    public static string AssertBadInput(Outcome o, params string[] mustName)
    {
        Assert.True(o.ExitCode == 2, $"exit {o.ExitCode}\nstdout: {o.Stdout}\nstderr: {o.Stderr}");
        var errors = o.Stderr.Split('\n').Where(l => l.StartsWith("error: ")).ToList();
        Assert.Single(errors);
        Assert.DoesNotContain("   at ", o.Stderr);
        foreach (var s in mustName) Assert.Contains(s, errors[0]);
        return errors[0];
    }
}

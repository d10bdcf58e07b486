using System.Runtime;

namespace Mlda.Interop;

/// <summary>
/// The one seam through which TorchSharp work runs: holds the garbage collector off while any thread is inside.
/// Delete it (and its uses) once TorchSharp ships dotnet/TorchSharp#1434, the fix that keeps temporary
/// <c>Scalar</c>s alive across their native calls.
/// </summary>
/// <remarks>
/// TorchSharp 0.107 hands temporary <c>Scalar</c> objects to libtorch without keeping them alive: every
/// <c>a + b</c> (alpha = 1), <c>x * 0.5</c> and Adam's update terms create one, read its handle and call native code.
/// When another thread (the batch loader, the progress display) triggers a collection meanwhile, the finalizer frees
/// the scalar under libtorch, which then fails with "Expected false to be true ... toFloat" or reads garbage. A
/// training run died that way after 186 steps; a loop of tensor additions beside one allocating thread dies within a
/// second, and survives 40 s inside such regions.
/// <para>
/// The runtime has one no-GC region for the whole process, so the seam counts its users across threads: the first
/// to enter starts the region, the last to leave ends it, and a collection happens only when no thread is inside
/// (two threads predicting at once both stay protected). The count is process-wide state because the region is.
/// If the threads allocate more than the budget while inside, the runtime collects anyway and the region lapses
/// (unprotected until everyone has left); a region that cannot start or has lapsed is reported once per process
/// through <see cref="Warning"/>.
/// </para>
/// </remarks>
public sealed class NoGcRegion : IDisposable
{
    /// <summary>
    /// Room for two loader threads each preparing a 640x192 mono+stereo batch of 8 (about 100 MB of float arrays)
    /// during one step; the CPU configuration's steps allocate a few MB.
    /// </summary>
    public const long DefaultBudgetBytes = 512L << 20;

    static readonly Lock Gate = new();
    static int _users;
    static bool _owned;          // this seam started the region now in effect
    static bool _reportedStart, _reportedLapse;

    /// <summary>
    /// Where the seam says, once per process, that a region could not start or has lapsed (the command line shows it
    /// on stderr). Without a subscriber the message goes to <see cref="System.Diagnostics.Trace"/>.
    /// </summary>
    public static event Action<string>? Warning;

    /// <summary>Threads (and nested uses) inside the seam now.</summary>
    public static int Users
    {
        get { lock (Gate) return _users; }
    }

    /// <summary>Whether the garbage collector is held off now.</summary>
    public static bool InEffect => GCSettings.LatencyMode == GCLatencyMode.NoGCRegion;

    bool _disposed;

    /// <summary>Enters the seam; the region starts with <paramref name="budgetBytes"/> if no thread is inside yet.</summary>
    public NoGcRegion(long budgetBytes = DefaultBudgetBytes)
    {
        string? warning = null;
        lock (Gate)
        {
            if (_users++ == 0 && !InEffect)
            {
                try
                {
                    _owned = GC.TryStartNoGCRegion(budgetBytes);
                }
                catch (Exception e) when (e is ArgumentOutOfRangeException or InvalidOperationException)
                {
                    _owned = false;
                }
                if (!_owned && !_reportedStart)
                {
                    _reportedStart = true;
                    warning = $"could not hold the garbage collector off for TorchSharp ({budgetBytes >> 20} MB budget): a collection during a native call may crash it (dotnet/TorchSharp#1434)";
                }
            }
        }
        if (warning is not null) Report(warning);
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        string? warning = null;
        lock (Gate)
        {
            if (--_users > 0) return;
            if (_owned)
            {
                _owned = false;
                bool lapsed = !InEffect;
                if (!lapsed)
                {
                    try
                    {
                        GC.EndNoGCRegion();
                    }
                    catch (InvalidOperationException)
                    {
                        lapsed = true; // the runtime collected inside the region (budget exceeded)
                    }
                }
                if (lapsed && !_reportedLapse)
                {
                    _reportedLapse = true;
                    warning = "the no-GC region for TorchSharp lapsed (more was allocated than its budget): TorchSharp ran unprotected for a while (dotnet/TorchSharp#1434)";
                }
            }
        }
        if (warning is not null) Report(warning);
    }

    static void Report(string message)
    {
        var sink = Warning;
        if (sink is null) System.Diagnostics.Trace.TraceWarning(message);
        else sink(message);
    }
}

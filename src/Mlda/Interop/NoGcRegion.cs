using System.Runtime;

namespace Mlda.Interop;

/// <summary>
/// Holds the garbage collector off while TorchSharp work runs on this thread.
/// </summary>
/// <remarks>
/// TorchSharp 0.107 hands temporary <c>Scalar</c> objects to libtorch without keeping them alive: every
/// <c>a + b</c> (alpha = 1), <c>x * 0.5</c> and Adam's update terms create one, read its handle and call native code.
/// When another thread (the batch loader, the progress display) triggers a collection meanwhile, the finalizer frees
/// the scalar under libtorch, which then fails with "Expected false to be true ... toFloat" or reads garbage. A
/// training run died that way after 186 steps; a loop of tensor additions beside one allocating thread dies within a
/// second, and survives 40 s inside such regions. (Upstream: dotnet/TorchSharp#1434, not released.)
/// A collection then happens only between regions, when no native call of this thread is in flight. If the threads
/// allocate more than the budget inside one region the runtime collects anyway (the region lapses, unprotected).
/// </remarks>
public sealed class NoGcRegion : IDisposable
{
    /// <summary>
    /// Room for two loader threads each preparing a 640x192 mono+stereo batch of 8 (about 100 MB of float arrays)
    /// during one step; the CPU configuration's steps allocate a few MB.
    /// </summary>
    public const long DefaultBudgetBytes = 512L << 20;

    readonly bool _started;

    public NoGcRegion(long budgetBytes = DefaultBudgetBytes)
    {
        if (GCSettings.LatencyMode == GCLatencyMode.NoGCRegion) return; // nested: the outer region covers this one
        try
        {
            _started = GC.TryStartNoGCRegion(budgetBytes);
        }
        catch (ArgumentOutOfRangeException) { }
        catch (InvalidOperationException) { }
    }

    public void Dispose()
    {
        if (!_started || GCSettings.LatencyMode != GCLatencyMode.NoGCRegion) return; // lapsed: nothing to end
        try
        {
            GC.EndNoGCRegion();
        }
        catch (InvalidOperationException) { }
    }
}

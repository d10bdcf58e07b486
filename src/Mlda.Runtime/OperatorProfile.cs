using System.Text.Json;
using Mlda.Core;

namespace Mlda.Runtime;

/// <summary>Time spent in one kind of operator (ONNX Runtime's op type: Conv, QLinearConv, Softmax...) per model run.</summary>
public sealed record OperatorTime(string OpType, double MillisecondsPerRun, double NodesPerRun);

/// <summary>
/// ONNX Runtime's profiler trace (Chrome trace JSON, written when <see cref="RuntimeOptions.ProfilePrefix"/> is set),
/// summed by operator type: the question it answers is where a run's time goes, for example whether an int8 graph
/// runs integer convolutions and what it still spends in float operators and in the QuantizeLinear/DequantizeLinear
/// around them. Only kernel events count (names ending in <c>_kernel_time</c>); the session's own events do not.
/// </summary>
public static class OperatorProfile
{
    /// <param name="tracePath">the file <see cref="OnnxDepthModel.EndProfiling"/> returned</param>
    /// <param name="runs">model runs the trace holds (to give times per run)</param>
    public static IReadOnlyList<OperatorTime> Summarise(string tracePath, int runs)
    {
        if (runs < 1) throw new ArgumentOutOfRangeException(nameof(runs));
        JsonDocument doc;
        try { doc = JsonDocument.Parse(File.ReadAllText(tracePath)); }
        catch (JsonException e) { throw new InputException(tracePath, $"not an ONNX Runtime profile ({e.Message})"); }
        using (doc)
        {
            var byOp = new Dictionary<string, (double Us, int Count)>(StringComparer.Ordinal);
            foreach (var e in doc.RootElement.EnumerateArray())
            {
                if (!e.TryGetProperty("cat", out var cat) || cat.GetString() != "Node") continue;
                if (!e.TryGetProperty("name", out var name) || name.GetString() is not string n || !n.EndsWith("_kernel_time", StringComparison.Ordinal)) continue;
                var op = e.TryGetProperty("args", out var args) && args.TryGetProperty("op_name", out var o) ? o.GetString() ?? "?" : "?";
                double dur = e.TryGetProperty("dur", out var d) ? d.GetDouble() : 0;
                byOp[op] = byOp.TryGetValue(op, out var acc) ? (acc.Us + dur, acc.Count + 1) : (dur, 1);
            }
            return byOp.Select(kv => new OperatorTime(kv.Key, kv.Value.Us / 1000.0 / runs, (double)kv.Value.Count / runs))
                       .OrderByDescending(t => t.MillisecondsPerRun).ToList();
        }
    }
}

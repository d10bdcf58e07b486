using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mlda.Core.IO;

namespace Mlda.Core.Evaluation;

/// <summary>The reference's printout of an evaluation, and the same numbers as JSON.</summary>
public static class EvaluationReport
{
    /// <summary>The line monodepth2 prints before evaluating, naming the scaling.</summary>
    public static string ModeLine(EvaluationOptions o) => o.Mode == EvaluationMode.Stereo
        ? $"   Stereo evaluation - disabling median scaling, scaling by {o.FixedScale.ToString(System.Globalization.CultureInfo.InvariantCulture)}"
        : "   Mono evaluation - using median scaling";

    /// <summary>
    /// Exactly what <c>evaluate_depth.py</c> prints after evaluating (LF line ends): in mono mode
    /// <c>" Scaling ratios | med: {:0.3f} | std: {:0.3f}"</c>; then an empty line, the header
    /// <c>"  " + "{:>8} | " * 7</c>, and the row <c>"&amp;{: 8.3f}  " * 7 + "\\\\"</c>.
    /// </summary>
    public static string Table(EvaluationResult r)
    {
        var sb = new StringBuilder();
        if (r.RatioMedian is { } med && r.RatioStd is { } std)
            sb.Append(" Scaling ratios | med: ").Append(PythonFormat.Fixed(med, 3))
              .Append(" | std: ").Append(PythonFormat.Fixed(std, 3)).Append('\n');
        sb.Append('\n').Append("  ");
        foreach (var name in DepthMetrics.Names) sb.Append(name.PadLeft(8)).Append(" | ");
        sb.Append('\n');
        foreach (var v in r.Mean.ToArray()) sb.Append('&').Append(PythonFormat.Fixed(v, 3, 8, spaceSign: true)).Append("  ");
        sb.Append("\\\\\n");
        return sb.ToString();
    }

    /// <summary>The metrics as a JSON object (full precision), with the per-image metrics and ratios.</summary>
    public static JsonObject ToJson(EvaluationResult r, IReadOnlyDictionary<string, string>? context = null)
    {
        static JsonObject Metrics(DepthMetrics m)
        {
            var o = new JsonObject();
            var v = m.ToArray();
            for (int k = 0; k < v.Length; k++) o[DepthMetrics.Names[k]] = double.IsFinite(v[k]) ? v[k] : null;
            return o;
        }
        var root = new JsonObject();
        if (context is not null) foreach (var (k, v) in context) root[k] = v;
        root["eval_mode"] = r.Options.Mode == EvaluationMode.Stereo ? "stereo" : "mono";
        root["mask"] = r.Options.Mask switch { EvaluationMask.Eigen => "eigen", EvaluationMask.ValidGroundTruth => "valid", _ => "valid_below_cap" };
        if (r.Options.Mode == EvaluationMode.Stereo) root["scale"] = r.Options.FixedScale;
        if (r.Options.Mask == EvaluationMask.ValidBelowCap) root["max_depth"] = r.Options.DepthCap;
        root["images"] = r.PerImage.Count;
        root["metrics"] = Metrics(r.Mean);
        if (r.RatioMedian is { } med)
        {
            root["ratio_median"] = med;
            root["ratio_std"] = r.RatioStd;
            root["ratios"] = new JsonArray(r.Ratios.Select(x => (JsonNode?)JsonValue.Create(x)).ToArray());
        }
        root["per_image"] = new JsonArray(r.PerImage.Select(m => (JsonNode?)Metrics(m)).ToArray());
        return root;
    }

    public static void WriteJson(string path, EvaluationResult r, IReadOnlyDictionary<string, string>? context = null) =>
        AtomicFile.WriteAllText(path, ToJson(r, context).ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
}

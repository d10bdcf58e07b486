namespace Mlda.Core.Evaluation;

/// <summary>
/// The outcome of the Eigen protocol: the metrics averaged over images, each image's metrics, and in mono mode the
/// per-image median ratios with their median and the std of ratio/median (the reference's "Scaling ratios" line).
/// </summary>
public sealed record EvaluationResult(
    EvaluationOptions Options,
    DepthMetrics Mean,
    IReadOnlyList<DepthMetrics> PerImage,
    IReadOnlyList<double> Ratios,
    double? RatioMedian,
    double? RatioStd)
{
    /// <summary>The lines the reference prints after "-> Evaluating" (see <see cref="EvaluationReport"/>).</summary>
    public string FormatTable() => EvaluationReport.Table(this);
}

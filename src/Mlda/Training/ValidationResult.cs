namespace Mlda.Training;

/// <summary>
/// One validation pass: mean losses over the val split and, where LiDAR ground truth exists, the reference's
/// validation metric (rmse per batch with one median ratio per batch, <c>losses/loss.py</c> <c>compute_depth_losses</c>) as avg/min/max, and the Eigen
/// metrics (per-image median scaling, 1e-3 &lt; gt &lt; 80, Garg crop).
/// </summary>
public sealed record ValidationResult(
    int Items,
    double Loss,
    double Photometric,
    double? RmseAvg,
    double? RmseMin,
    double? RmseMax,
    IReadOnlyDictionary<string, double>? Eigen)
{
    /// <summary>The number best_weights is chosen by: reference rmse_avg where ground truth exists, else the loss.</summary>
    public (string Name, double Value) Selection => RmseAvg is { } r ? ("rmse_avg", r) : ("val_loss", Loss);

    /// <summary>
    /// The number best_weights is chosen by under <see cref="TrainOptions.BestMetric"/>: an Eigen metric (lower is
    /// better) where ground truth exists, else <see cref="Selection"/>.
    /// </summary>
    public (string Name, double Value) SelectionBy(string metric) =>
        metric != TrainOptions.ReferenceBestMetric && Eigen is not null && Eigen.TryGetValue(metric, out var v) ? (metric, v) : Selection;
}

using System.Numerics;

namespace Mlda.Core.Evaluation;

/// <summary>
/// The seven standard depth metrics in monodepth2's order: abs_rel, sq_rel, rmse, rmse_log, a1, a2, a3.
/// </summary>
public sealed record DepthMetrics(double AbsRel, double SqRel, double Rmse, double RmseLog, double A1, double A2, double A3)
{
    public static IReadOnlyList<string> Names { get; } = ["abs_rel", "sq_rel", "rmse", "rmse_log", "a1", "a2", "a3"];

    public double[] ToArray() => [AbsRel, SqRel, Rmse, RmseLog, A1, A2, A3];

    public static DepthMetrics FromArray(IReadOnlyList<double> v) => new(v[0], v[1], v[2], v[3], v[4], v[5], v[6]);

    /// <summary>
    /// monodepth2's <c>compute_errors(gt, pred)</c> over matching pixels, in the element type T as numpy computes it
    /// (float32 for float32 inputs): thresh = max(gt/pred, pred/gt); aK = mean(thresh &lt; 1.25^K);
    /// rmse = sqrt(mean((gt-pred)²)); rmse_log = sqrt(mean((ln gt - ln pred)²)); abs_rel = mean(|gt-pred|/gt);
    /// sq_rel = mean((gt-pred)²/gt).
    /// </summary>
    public static DepthMetrics Compute<T>(ReadOnlySpan<T> gt, ReadOnlySpan<T> pred) where T : IFloatingPointIeee754<T>
    {
        if (gt.Length != pred.Length) throw new ArgumentException($"{gt.Length} ground-truth values for {pred.Length} predictions");
        int n = gt.Length;
        if (n == 0) return new DepthMetrics(double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        T t1 = T.CreateChecked(1.25), t2 = T.CreateChecked(1.25 * 1.25), t3 = T.CreateChecked(1.25 * 1.25 * 1.25);
        long c1 = 0, c2 = 0, c3 = 0;
        var sq = new T[n];
        var logSq = new T[n];
        var absRel = new T[n];
        var sqRel = new T[n];
        for (int i = 0; i < n; i++)
        {
            T g = gt[i], p = pred[i];
            T thresh = T.Max(g / p, p / g);
            if (thresh < t1) c1++;
            if (thresh < t2) c2++;
            if (thresh < t3) c3++;
            T d = g - p;
            sq[i] = d * d;
            T l = T.Log(g) - T.Log(p);
            logSq[i] = l * l;
            absRel[i] = T.Abs(d) / g;
            sqRel[i] = sq[i] / g;
        }
        // Boolean means are float64 in numpy: count / n.
        return new DepthMetrics(
            double.CreateChecked(NumpyReductions.Mean<T>(absRel)),
            double.CreateChecked(NumpyReductions.Mean<T>(sqRel)),
            double.CreateChecked(T.Sqrt(NumpyReductions.Mean<T>(sq))),
            double.CreateChecked(T.Sqrt(NumpyReductions.Mean<T>(logSq))),
            (double)c1 / n, (double)c2 / n, (double)c3 / n);
    }

    /// <summary>
    /// The per-metric mean over images, in float64 like <c>np.array(errors).mean(0)</c>: a reduction along axis 0
    /// adds the rows one after the other (no pairwise blocks), then divides by the count.
    /// </summary>
    public static DepthMetrics Mean(IReadOnlyList<DepthMetrics> perImage)
    {
        if (perImage.Count == 0) throw new ArgumentException("no images to average", nameof(perImage));
        var sum = new double[7];
        foreach (var m in perImage)
        {
            var v = m.ToArray();
            for (int k = 0; k < 7; k++) sum[k] += v[k];
        }
        return FromArray(sum.Select(s => s / perImage.Count).ToArray());
    }
}

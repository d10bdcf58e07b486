using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Mlda.Core.Evaluation;
using Mlda.Core.Imaging;

namespace Mlda.Tests.Evaluation;

/// <summary>
/// The Eigen protocol against an independent numpy/cv2 computation (reference_numpy.py eval|extra on the real
/// sample; numpy 1.24.2, OpenCV 4.6.0). Expected values are copied from its output.
/// </summary>
public class EigenEvaluationTests
{
    const double Tol = 1e-7;

    static string Sha(float[] v) => Convert.ToHexStringLower(SHA256.HashData(MemoryMarshal.AsBytes(v.AsSpan())));

    static void AssertMetrics(double[] expected, DepthMetrics actual, double tol = Tol)
    {
        var a = actual.ToArray();
        for (int k = 0; k < 7; k++) Assert.True(Math.Abs(expected[k] - a[k]) <= tol, $"{DepthMetrics.Names[k]}: expected {expected[k]:R}, got {a[k]:R}");
    }

    [Fact]
    public void SyntheticDisparitiesAndTheirResizeMatchNumpyAndCv2BitForBit()
    {
        var d = ReferenceData.Disparities();
        Assert.Equal("c2891a8d9da7d57366517606fd614cbde702b9055e5046f57e8807c08dec135f", Sha(d.SelectMany(m => m.Values).ToArray()));
        Assert.Equal("6de02f88b06b4bc0c6935455ed25eb2227f21c54abc30efc04732d41f94a0217", Sha(DisparityResize.Bilinear(d[0], 375, 1242).Values));
    }

    [Fact]
    public void ResizeFollowsCv2OnSmallCases()
    {
        // 1x2 → 1x4: half-pixel centres; the outer columns clamp to the edge values.
        var r = DisparityResize.Bilinear(new FloatMap(1, 2, [0f, 4f]), 1, 4);
        Assert.Equal(new[] { 0f, 1f, 3f, 4f }, r.Values);
        // 2x1 → 4x1 along rows: OpenCV does not clamp row weights, only row indices, so the first row is a
        // blend of row 0 with itself: still exact here.
        r = DisparityResize.Bilinear(new FloatMap(2, 1, [0f, 4f]), 4, 1);
        Assert.Equal(new[] { 0f, 1f, 3f, 4f }, r.Values);
        var same = new FloatMap(2, 2, [1f, 2f, 3f, 4f]);
        Assert.Equal(same.Values, DisparityResize.Bilinear(same, 2, 2).Values);
    }

    [Fact]
    public void EigenCropTruncatesPerSize()
    {
        Assert.Equal((153, 371, 44, 1197), EigenEvaluation.EigenCrop(375, 1242));
        Assert.Equal((153, 372, 44, 1196), EigenEvaluation.EigenCrop(376, 1241));
        Assert.Equal((151, 366, 44, 1181), EigenEvaluation.EigenCrop(370, 1226));
        Assert.Equal((152, 370, 44, 1193), EigenEvaluation.EigenCrop(374, 1238));
    }

    [Fact]
    public void MonoMatchesNumpy()
    {
        var r = EigenEvaluation.Evaluate(ReferenceData.GroundTruth, ReferenceData.Disparities(), new EvaluationOptions(EvaluationMode.Mono));
        AssertMetrics([0.23236196115612984, 2.7300325632095337, 9.684107065200806, 0.3589511588215828, 0.6346221673638868, 0.8030276188980403, 0.902093536726146], r.Mean);
        AssertMetrics([0.21530234813690186, 2.4689152240753174, 9.488579750061035, 0.33697932958602905, 0.669884282142234, 0.8240972262603943, 0.9164389137640286], r.PerImage[0]);
        AssertMetrics([0.26508113741874695, 3.213120460510254, 10.27758502960205, 0.3945079743862152, 0.5791208144530101, 0.7669040193020655, 0.8794209380333078], r.PerImage[3]);
        Assert.Equal(new[] { 2.187898874282837, 2.084545612335205, 2.088892698287964, 2.0727760791778564 }, r.Ratios);
        Assert.Equal(
            " Scaling ratios | med: 2.087 | std: 0.022\n" +
            "\n" +
            "   abs_rel |   sq_rel |     rmse | rmse_log |       a1 |       a2 |       a3 | \n" +
            "&   0.232  &   2.730  &   9.684  &   0.359  &   0.635  &   0.803  &   0.902  \\\\\n", r.FormatTable());
    }

    [Fact]
    public void StereoMatchesNumpy()
    {
        var r = EigenEvaluation.Evaluate(ReferenceData.GroundTruth, ReferenceData.Disparities(), new EvaluationOptions(EvaluationMode.Stereo));
        AssertMetrics([1.523474007844925, 36.93013381958008, 22.23228931427002, 0.9316853135824203, 0.056681823225866707, 0.11816820293637459, 0.2159059833523604], r.Mean);
        Assert.Empty(r.Ratios);
        Assert.Null(r.RatioMedian);
        Assert.Equal(
            "\n" +
            "   abs_rel |   sq_rel |     rmse | rmse_log |       a1 |       a2 |       a3 | \n" +
            "&   1.523  &  36.930  &  22.232  &   0.932  &   0.057  &   0.118  &   0.216  \\\\\n", r.FormatTable());
    }

    [Fact]
    public void PostProcessedMatchesNumpyInFloat64()
    {
        var gt = ReferenceData.GroundTruth;
        var r = EigenEvaluation.EvaluatePostProcessed(gt, ReferenceData.Disparities(), ReferenceData.Mirrored(), new EvaluationOptions(EvaluationMode.Mono));
        // rmse_log differs from numpy by 2e-9: numpy's float64 log is its own SIMD routine, not the C library's.
        AssertMetrics([0.23546062080286817, 2.7804310199128888, 9.727053799909267, 0.36198400216794036, 0.6311929662837494, 0.8014254605073179, 0.9004905329666725], r.Mean);
        Assert.Equal(2.2979380480903395, r.Ratios[0], 12);
        Assert.Equal(2.1766149040200466, r.Ratios[3], 12);
        Assert.StartsWith(" Scaling ratios | med: 2.191 | std: 0.022\n", r.FormatTable());
        Assert.EndsWith("&   0.235  &   2.780  &   9.727  &   0.362  &   0.631  &   0.801  &   0.900  \\\\\n", r.FormatTable());
        r = EigenEvaluation.EvaluatePostProcessed(gt, ReferenceData.Disparities(), ReferenceData.Mirrored(), new EvaluationOptions(EvaluationMode.Stereo));
        AssertMetrics([1.4087905458252339, 32.09019656349895, 20.61457207000644, 0.8878248604334548, 0.06650583938430606, 0.13470297633282274, 0.24887141859948797], r.Mean);
    }

    [Fact]
    public void PostProcessBlendMatchesNumpy()
    {
        var d = ReferenceData.Disparities();
        var m = ReferenceData.Mirrored();
        var blended = d.Select((x, i) => DisparityPostProcess.BlendToFloat32(x, DisparityPostProcess.FlipHorizontal(m[i]))).ToList();
        Assert.Equal("7a927ff5b88b47f70f87022fce3f035f45f05d766e1abc0f56c4bc62c4dbd9e6", Sha(blended.SelectMany(b => b.Values).ToArray()));
        // Left 5% of columns take the mirrored prediction, right 5% the direct one.
        Assert.Equal(m[0][10, 639], blended[0][10, 0]);
        Assert.Equal(d[0][10, 639], blended[0][10, 639]);
    }

    [Fact]
    public void AnotherDatesImageSizeMatchesNumpy()
    {
        // A 376x1241 map (2011_10_03's size) next to a 375x1242 one: crop [153,372,44,1196] for the first.
        var gt = ReferenceData.GroundTruth;
        var other = new FloatMap(376, 1241);
        for (int y = 0; y < 375; y++)
            for (int x = 0; x < 1241; x++)
                other[y, x] = gt[1][y, x];
        var mixed = new[] { gt[0], other };
        var d = ReferenceData.Disparities().Take(2).ToList();
        var r = EigenEvaluation.Evaluate(mixed, d, new EvaluationOptions(EvaluationMode.Mono));
        AssertMetrics([0.21350783854722977, 2.432511806488037, 9.320440292358398, 0.3372713625431061, 0.6679864236471373, 0.8248709047246011, 0.9162203818444377], r.Mean);
        Assert.Equal(2.0725231170654297, r.Ratios[1]);
        r = EigenEvaluation.Evaluate(mixed, d, new EvaluationOptions(EvaluationMode.Stereo));
        AssertMetrics([1.4963154792785645, 34.88876914978027, 21.979637145996094, 0.9217546582221985, 0.05292509113393706, 0.11431083592981492, 0.2099945011610539], r.Mean);
    }

    [Fact]
    public void ValidMaskForOtherSplitsMatchesNumpy()
    {
        var r = EigenEvaluation.Evaluate(ReferenceData.GroundTruth, ReferenceData.Disparities(), new EvaluationOptions(EvaluationMode.Mono, EvaluationMask.ValidGroundTruth));
        AssertMetrics([0.27862174063920975, 3.655085325241089, 10.383479356765747, 0.4017055630683899, 0.5884081754807841, 0.7661960171038957, 0.8719392025375095], r.Mean);
    }

    [Fact]
    public void ValidationMetricPoolsTheBatchLikeTheReference()
    {
        var gt = ReferenceData.GroundTruth.Take(2).ToList();
        var depth = ReferenceData.Disparities().Take(2).Select(d =>
        {
            var r = DisparityResize.Bilinear(d, 375, 1242);
            for (int k = 0; k < r.Values.Length; k++) r.Values[k] = 1f / r.Values[k];
            return r;
        }).ToList();
        AssertMetrics([0.21385344862937927, 2.4485504627227783, 9.34980297088623, 0.3385852873325348, 0.6664828626984357, 0.8246510143076878, 0.9162724555242766],
            ValidationMetric.Compute(depth, gt));
        Assert.Throws<ArgumentException>(() => ValidationMetric.Compute([new FloatMap(376, 1241)], [new FloatMap(376, 1241)]));
    }

    [Fact]
    public void PerfectPredictionScoresPerfectly()
    {
        // Disparity = 1/gt (mono: any scale) or 5.4/gt (stereo) where there is GT, at the GT size: exact metrics.
        var gt = ReferenceData.GroundTruth[0];
        FloatMap Disp(float k)
        {
            var d = new FloatMap(gt.Height, gt.Width);
            for (int i = 0; i < d.Values.Length; i++) d.Values[i] = gt.Values[i] > 0 ? k / gt.Values[i] : 1f;
            return d;
        }
        var r = EigenEvaluation.Evaluate([gt], [Disp(5.4f)], new EvaluationOptions(EvaluationMode.Stereo));
        Assert.Equal(1.0, r.Mean.A1);
        Assert.True(r.Mean.AbsRel < 1e-6 && r.Mean.Rmse < 1e-4);
        r = EigenEvaluation.Evaluate([gt], [Disp(0.25f)], new EvaluationOptions(EvaluationMode.Mono));
        Assert.Equal(1.0, r.Mean.A1);
        Assert.True(r.Mean.AbsRel < 1e-6 && r.Mean.Rmse < 1e-4);
        Assert.Equal(0.25, r.Ratios[0], 6);
        // The wrong scale without median scaling is caught: 1/gt in stereo mode is 5.4x too deep.
        r = EigenEvaluation.Evaluate([gt], [Disp(1f)], new EvaluationOptions(EvaluationMode.Stereo));
        Assert.True(r.Mean.A1 < 0.05);
    }
}

using Mlda.Core.Evaluation;

namespace Mlda.Tests.Evaluation;

public class NumpyReductionsTests
{
    // a = float32(((i * 7919) % 1000) / 7.0 + 0.001 i) for i < 20000; expected values from numpy 1.24.2.
    static float[] A() => Enumerable.Range(0, 20000).Select(i => (float)(((long)i * 7919 % 1000) / 7.0 + 0.001 * i)).ToArray();

    [Fact]
    public void Float32ReductionsRoundLikeNumpy()
    {
        var a = A();
        Assert.Equal(1627132.875f, NumpyReductions.Sum<float>(a));
        Assert.Equal(81.35664367675781f, NumpyReductions.Mean<float>(a));
        Assert.Equal(76.36571502685547f, NumpyReductions.Median<float>(a.AsSpan(0, 9999)));
        Assert.Equal(76.35971069335938f, NumpyReductions.Median<float>(a.AsSpan(0, 10000)));
        Assert.Equal(41.641353607177734f, NumpyReductions.Std<float>(a));
        // A naive running float32 sum gives 1627132.4: the summation order matters.
        float naive = 0;
        foreach (var v in a) naive += v;
        Assert.NotEqual(naive, NumpyReductions.Sum<float>(a));
    }

    [Fact]
    public void MedianAveragesTheMiddlePair()
    {
        Assert.Equal(2.5, NumpyReductions.Median<double>([4, 1, 3, 2]));
        Assert.Equal(3.0, NumpyReductions.Median<double>([5, 1, 3]));
    }
}

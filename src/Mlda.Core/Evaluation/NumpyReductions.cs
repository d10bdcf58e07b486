using System.Numerics;

namespace Mlda.Core.Evaluation;

/// <summary>
/// numpy's reductions in the element type of the array, so float32 statistics round exactly as the reference's do:
/// <c>np.add.reduce</c> starts from 0, walks the array in buffer blocks of 8192 elements and sums each block
/// pairwise (8 accumulators up to 128 elements, halving above that); <c>mean</c> divides that sum by n in the
/// same type; <c>median</c> averages the two middle values with that mean. Checked against numpy 1.24.
/// </summary>
public static class NumpyReductions
{
    const int BufferSize = 8192;
    const int PairwiseBlock = 128;

    public static T Sum<T>(ReadOnlySpan<T> a) where T : IFloatingPointIeee754<T>
    {
        T total = T.Zero;
        for (int start = 0; start < a.Length; start += BufferSize)
            total += Pairwise(a.Slice(start, Math.Min(BufferSize, a.Length - start)));
        return total;
    }

    public static T Mean<T>(ReadOnlySpan<T> a) where T : IFloatingPointIeee754<T> =>
        a.Length == 0 ? T.NaN : Sum(a) / T.CreateChecked(a.Length);

    /// <summary><c>np.median</c>: the middle value, or the mean of the two middle values (in T) for an even count.</summary>
    public static T Median<T>(ReadOnlySpan<T> a) where T : IFloatingPointIeee754<T>
    {
        if (a.Length == 0) return T.NaN;
        var s = a.ToArray();
        Array.Sort(s);
        int n = s.Length;
        if (n % 2 == 1) return s[n / 2];
        // np.mean of the two middle values: (0 + lo) + hi, then / 2, all in T.
        return (T.Zero + s[n / 2 - 1] + s[n / 2]) / T.CreateChecked(2);
    }

    /// <summary><c>np.std</c> (ddof 0): mean, deviations, squares, their mean, square root, all in T.</summary>
    public static T Std<T>(ReadOnlySpan<T> a) where T : IFloatingPointIeee754<T>
    {
        var mean = Mean(a);
        var sq = new T[a.Length];
        for (int i = 0; i < a.Length; i++)
        {
            var d = a[i] - mean;
            sq[i] = d * d;
        }
        return T.Sqrt(Mean<T>(sq));
    }

    static T Pairwise<T>(ReadOnlySpan<T> a) where T : IFloatingPointIeee754<T>
    {
        int n = a.Length;
        if (n < 8)
        {
            T res = T.Zero;
            for (int i = 0; i < n; i++) res += a[i];
            return res;
        }
        if (n <= PairwiseBlock)
        {
            T r0 = a[0], r1 = a[1], r2 = a[2], r3 = a[3], r4 = a[4], r5 = a[5], r6 = a[6], r7 = a[7];
            int i;
            for (i = 8; i < n - n % 8; i += 8)
            {
                r0 += a[i]; r1 += a[i + 1]; r2 += a[i + 2]; r3 += a[i + 3];
                r4 += a[i + 4]; r5 += a[i + 5]; r6 += a[i + 6]; r7 += a[i + 7];
            }
            T res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
            for (; i < n; i++) res += a[i];
            return res;
        }
        int n2 = n / 2;
        n2 -= n2 % 8;
        return Pairwise(a[..n2]) + Pairwise(a[n2..]);
    }
}

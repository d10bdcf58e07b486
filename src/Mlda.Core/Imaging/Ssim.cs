namespace Mlda.Core.Imaging;

/// <summary>
/// monodepth2's SSIM dissimilarity (<c>layers.py</c> <c>SSIM</c>), the one training uses, on one float channel:
/// reflection-pad 1, 3×3 average pools at stride 1 for μx, μy, σx = E[x²]−μx², σy, σxy, C1 = 0.01², C2 = 0.03²,
/// loss = clip((1 − SSIMn/SSIMd)/2, 0, 1). The target's statistics are computed once at construction, since
/// depth-hints compares twelve candidate warps with the same target. Instances are immutable and thread-safe.
/// </summary>
public sealed class Ssim
{
    public const float C1 = 0.01f * 0.01f;
    public const float C2 = 0.03f * 0.03f;

    readonly int _height, _width;
    readonly float[] _target, _muY, _sigmaY;

    public int Height => _height;
    public int Width => _width;

    /// <param name="target">the target channel (y), row-major <paramref name="height"/> × <paramref name="width"/></param>
    /// <param name="height">rows of <paramref name="target"/></param>
    /// <param name="width">columns of <paramref name="target"/></param>
    public Ssim(ReadOnlySpan<float> target, int height, int width)
    {
        if (height < 2 || width < 2) throw new ArgumentOutOfRangeException(nameof(height), $"SSIM's reflection pad needs at least 2x2, got {height}x{width}");
        if (target.Length != height * width) throw new ArgumentException($"{target.Length} values for {height}x{width}", nameof(target));
        _height = height;
        _width = width;
        _target = target.ToArray();
        var squares = new float[_target.Length];
        for (int i = 0; i < squares.Length; i++) squares[i] = _target[i] * _target[i];
        _muY = BoxMean(_target, height, width);
        _sigmaY = BoxMean(squares, height, width);
        for (int i = 0; i < _sigmaY.Length; i++) _sigmaY[i] -= _muY[i] * _muY[i];
    }

    /// <summary>The per-pixel SSIM loss of <paramref name="x"/> against the target, written to <paramref name="loss"/>.</summary>
    public void Loss(ReadOnlySpan<float> x, Span<float> loss) => Run(x, loss, accumulate: false);

    /// <summary>Adds the per-pixel SSIM loss of <paramref name="x"/> to <paramref name="sum"/> (for a mean over channels).</summary>
    public void AddLoss(ReadOnlySpan<float> x, Span<float> sum) => Run(x, sum, accumulate: true);

    /// <summary>One-off SSIM loss map of <paramref name="x"/> against <paramref name="y"/>.</summary>
    public static float[] LossMap(ReadOnlySpan<float> x, ReadOnlySpan<float> y, int height, int width)
    {
        var loss = new float[height * width];
        new Ssim(y, height, width).Loss(x, loss);
        return loss;
    }

    void Run(ReadOnlySpan<float> x, Span<float> output, bool accumulate)
    {
        int h = _height, w = _width;
        if (x.Length != h * w || output.Length != h * w) throw new ArgumentException($"expected {h}x{w} values");
        // Horizontal 3-sums of x, x², x·y for three consecutive padded rows, kept in a ring of three slots:
        // padded row p is source row reflect(p − 1); output row r needs padded rows r, r+1, r+2.
        var sx = new float[3 * w];
        var sxx = new float[3 * w];
        var sxy = new float[3 * w];
        for (int p = 0; p < 2; p++) HorizontalSums(x, Reflect(p - 1, h), p % 3, sx, sxx, sxy);
        for (int r = 0; r < h; r++)
        {
            HorizontalSums(x, Reflect(r + 1, h), (r + 2) % 3, sx, sxx, sxy);
            int a = (r % 3) * w, b = ((r + 1) % 3) * w, c = ((r + 2) % 3) * w;
            int row = r * w;
            for (int i = 0; i < w; i++)
            {
                float muX = (sx[a + i] + sx[b + i] + sx[c + i]) / 9f;
                float sigmaX = (sxx[a + i] + sxx[b + i] + sxx[c + i]) / 9f - muX * muX;
                float muY = _muY[row + i];
                float sigmaXY = (sxy[a + i] + sxy[b + i] + sxy[c + i]) / 9f - muX * muY;
                float n = (2 * muX * muY + C1) * (2 * sigmaXY + C2);
                float d = (muX * muX + muY * muY + C1) * (sigmaX + _sigmaY[row + i] + C2);
                float loss = Math.Clamp((1 - n / d) / 2, 0f, 1f);
                if (accumulate) output[row + i] += loss;
                else output[row + i] = loss;
            }
        }
    }

    void HorizontalSums(ReadOnlySpan<float> x, int sourceRow, int slot, float[] sx, float[] sxx, float[] sxy)
    {
        int w = _width, row = sourceRow * w, at = slot * w;
        for (int i = 0; i < w; i++)
        {
            int l = row + Reflect(i - 1, w), m = row + i, r = row + Reflect(i + 1, w);
            float xl = x[l], xm = x[m], xr = x[r];
            sx[at + i] = xl + xm + xr;
            sxx[at + i] = xl * xl + xm * xm + xr * xr;
            sxy[at + i] = xl * _target[l] + xm * _target[m] + xr * _target[r];
        }
    }

    /// <summary>3×3 mean with reflection padding (PyTorch's ReflectionPad2d(1) then AvgPool2d(3, 1)).</summary>
    public static float[] BoxMean(ReadOnlySpan<float> values, int height, int width)
    {
        var horizontal = new float[height * width];
        for (int r = 0; r < height; r++)
        {
            int row = r * width;
            for (int i = 0; i < width; i++)
                horizontal[row + i] = values[row + Reflect(i - 1, width)] + values[row + i] + values[row + Reflect(i + 1, width)];
        }
        var result = new float[height * width];
        for (int r = 0; r < height; r++)
        {
            int up = Reflect(r - 1, height) * width, row = r * width, down = Reflect(r + 1, height) * width;
            for (int i = 0; i < width; i++)
                result[row + i] = (horizontal[up + i] + horizontal[row + i] + horizontal[down + i]) / 9f;
        }
        return result;
    }

    /// <summary>Reflection (edge not repeated) of an index one step outside [0, n).</summary>
    static int Reflect(int i, int n) => i < 0 ? -i : i >= n ? 2 * n - 2 - i : i;
}

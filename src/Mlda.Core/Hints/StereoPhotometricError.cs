using Mlda.Core.Imaging;

namespace Mlda.Core.Hints;

/// <summary>
/// The photometric error of a candidate depth map for a rectified stereo pair, as depth-hints computes it: the
/// other view is warped into the base view with the candidate depth and compared per pixel with
/// 0.85·mean_c(SSIM) + 0.15·mean_c(|a − b|) (<c>compute_reprojection_loss</c>), images in [0, 1].
/// <para>
/// The warp is the reference's <c>BackprojectDepth</c> → <c>Project3D</c> with T[0,3] = −0.1 (left base) or
/// +0.1 (right base) and monodepth2's K, followed by <c>grid_sample</c> (bilinear, border padding,
/// align_corners = True). For a rectified pair with the principal point shared, that projection is exactly a
/// horizontal shift u = x ∓ fx·b/depth on the same row, which is what is computed here (the reference's float32
/// matrix products agree to about 1e-5 px). A zero depth is projected to u = ±∞, v = 0, which border padding
/// turns into the top-left (left base) or top-right (right base) pixel of the other image.
/// </para>
/// Instances are immutable and thread-safe.
/// </summary>
public sealed class StereoPhotometricError
{
    readonly int _height, _width, _channels;
    readonly float[][] _base, _other;
    readonly Ssim[] _ssim;
    readonly float _shiftSign, _focalTimesBaseline, _ssimWeight;

    public int Height => _height;
    public int Width => _width;

    /// <param name="baseImage">the image the hint is for (target)</param>
    /// <param name="otherImage">the other view of the pair (lookup), same size</param>
    /// <param name="baseSide">which camera <paramref name="baseImage"/> is (the sign of the shift)</param>
    /// <param name="focalLengthTimesBaseline">fx × baseline: disparity = this / depth</param>
    /// <param name="ssimWeight">weight of the SSIM term against the L1 term (0.85 as the reference)</param>
    public StereoPhotometricError(ByteImage baseImage, ByteImage otherImage, StereoSide baseSide,
                                  float focalLengthTimesBaseline, float ssimWeight = 0.85f)
    {
        if (baseImage.Height != otherImage.Height || baseImage.Width != otherImage.Width || baseImage.Channels != otherImage.Channels)
            throw new ArgumentException("stereo images differ in size or channels");
        _height = baseImage.Height;
        _width = baseImage.Width;
        _channels = baseImage.Channels;
        _base = Planes(baseImage);
        _other = Planes(otherImage);
        _ssim = [.. _base.Select(p => new Ssim(p, _height, _width))];
        // Left base: T[0,3] = −b, so u = x − fx·b/depth; right base: +b, u = x + fx·b/depth.
        _shiftSign = baseSide == StereoSide.Left ? -1f : 1f;
        _focalTimesBaseline = focalLengthTimesBaseline;
        _ssimWeight = ssimWeight;
    }

    /// <summary>Per-pixel error of <paramref name="depth"/> (≤ 0 = no depth) into <paramref name="error"/>.</summary>
    public void Compute(FloatMap depth, Span<float> error)
    {
        int h = _height, w = _width, n = h * w;
        if (depth.Height != h || depth.Width != w) throw new ArgumentException($"depth is {depth.Height}x{depth.Width}, images {h}x{w}");
        if (error.Length != n) throw new ArgumentException($"error needs {n} values");
        var warped = new float[n];
        var ssimSum = new float[n];
        var l1Sum = new float[n];
        var d = depth.Values;
        for (int c = 0; c < _channels; c++)
        {
            var other = _other[c];
            var target = _base[c];
            for (int y = 0; y < h; y++)
            {
                int row = y * w;
                for (int x = 0; x < w; x++)
                {
                    float z = d[row + x];
                    float value;
                    if (z > 0)
                    {
                        float u = x + _shiftSign * (_focalTimesBaseline / z);
                        value = SampleRow(other, row, w, u);
                    }
                    else
                    {
                        // Project3D of a zero depth: u = ±fx·b/1e-7 → clipped to the first or last column, v = 0.
                        value = other[_shiftSign < 0 ? 0 : w - 1];
                    }
                    warped[row + x] = value;
                    l1Sum[row + x] += Math.Abs(target[row + x] - value);
                }
            }
            _ssim[c].AddLoss(warped, ssimSum);
        }
        float ssimWeight = _ssimWeight, l1Weight = 1 - _ssimWeight, channels = _channels;
        for (int i = 0; i < n; i++)
            error[i] = ssimWeight * (ssimSum[i] / channels) + l1Weight * (l1Sum[i] / channels);
    }

    /// <summary>Bilinear sample of one row at column <paramref name="u"/>, border padding (coordinate clipped).</summary>
    static float SampleRow(float[] plane, int row, int width, float u)
    {
        if (!(u > 0)) return plane[row];
        if (u >= width - 1) return plane[row + width - 1];
        int x0 = (int)u;
        float t = u - x0;
        return plane[row + x0] * (1 - t) + plane[row + x0 + 1] * t;
    }

    /// <summary>Channel planes in [0, 1] (the reference's <c>torch.from_numpy(image).float() / 255</c>).</summary>
    static float[][] Planes(ByteImage image)
    {
        int n = image.Height * image.Width, c = image.Channels;
        var planes = new float[c][];
        for (int ch = 0; ch < c; ch++)
        {
            var p = planes[ch] = new float[n];
            for (int i = 0; i < n; i++) p[i] = image.Pixels[i * c + ch] / 255f;
        }
        return planes;
    }
}

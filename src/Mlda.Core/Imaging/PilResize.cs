using OpenCvSharp;

namespace Mlda.Core.Imaging;

/// <summary>
/// PIL's <c>Image.resize(size, Image.LANCZOS)</c> (= <c>ANTIALIAS</c>, what torchvision's <c>Resize</c> and
/// depth-hints use), re-implemented bit-exactly after Pillow's <c>libImaging/Resample.c</c>:
/// <list type="bullet">
/// <item>separable Lanczos (a = 3) whose support is widened by the downscale factor (antialiasing);</item>
/// <item>per output sample, coefficients over the clipped source window, normalised to sum 1 in double;</item>
/// <item>8-bit images: coefficients rounded to fixed point with 22 fraction bits (PRECISION_BITS = 32-8-2),
///   integer accumulation from a half-unit bias, clipped to 0..255; the horizontal pass runs first and is
///   rounded to 8 bits before the vertical pass (a pass whose size does not change is skipped);</item>
/// <item>float images (PIL mode "F"): double coefficients, double accumulation, stored as float per pass.</item>
/// </list>
/// OpenCV's INTER_LANCZOS4 is a different filter (fixed 8x8 window, no antialiasing) and does not match.
/// </summary>
public static class PilResize
{
    /// <summary>Pillow: <c>#define PRECISION_BITS (32 - 8 - 2)</c>.</summary>
    const int PrecisionBits = 32 - 8 - 2;

    /// <summary>Lanczos-resizes an 8-bit image (any channel order; channels are independent).</summary>
    public static ByteImage Lanczos(ByteImage source, int outWidth, int outHeight)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (outWidth <= 0 || outHeight <= 0) throw new ArgumentOutOfRangeException(nameof(outWidth), $"size {outWidth}x{outHeight}");
        bool needHorizontal = outWidth != source.Width;
        bool needVertical = outHeight != source.Height;
        var current = source;
        if (needHorizontal)
        {
            var h = FixedPointCoefficients.Of(Coefficients.Lanczos(source.Width, outWidth));
            // Like Pillow, only the source rows the vertical pass reads are resampled horizontally; the
            // result is the same, the time is not.
            var v = needVertical ? Coefficients.Lanczos(source.Height, outHeight) : null;
            int firstRow = v is null ? 0 : v.Start[0];
            int lastRow = v is null ? source.Height : v.Start[outHeight - 1] + v.Count[outHeight - 1];
            current = HorizontalPass(source, h, firstRow, lastRow);
            if (needVertical) current = VerticalPass(current, FixedPointCoefficients.Of(v!), -firstRow);
            return current;
        }
        if (needVertical) return VerticalPass(source, FixedPointCoefficients.Of(Coefficients.Lanczos(source.Height, outHeight)), 0);
        return source.Clone();
    }

    /// <summary>Lanczos-resizes an 8-bit Mat (CV_8UC1/3/4, any channel order) into a new Mat of the same type.</summary>
    public static Mat Lanczos(Mat source, int outWidth, int outHeight)
    {
        ArgumentNullException.ThrowIfNull(source);
        return Lanczos(ByteImage.FromMat(source), outWidth, outHeight).ToMat();
    }

    /// <summary>
    /// Lanczos-resizes a single-channel float image as PIL does for mode "F" (no fixed point, no clipping).
    /// Also the way to chain resizes without 8-bit rounding in between.
    /// </summary>
    public static FloatMap Lanczos(FloatMap source, int outWidth, int outHeight)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (outWidth <= 0 || outHeight <= 0) throw new ArgumentOutOfRangeException(nameof(outWidth), $"size {outWidth}x{outHeight}");
        var current = source;
        if (outWidth != source.Width)
        {
            var k = Coefficients.Lanczos(source.Width, outWidth);
            var output = new FloatMap(current.Height, outWidth);
            var input = current;
            Parallel.For(0, input.Height, y =>
            {
                var src = input.Row(y);
                var dst = output.Row(y);
                for (int xx = 0; xx < outWidth; xx++)
                {
                    int start = k.Start[xx], count = k.Count[xx], at = xx * k.Size;
                    double ss = 0.0;
                    for (int x = 0; x < count; x++) ss += src[start + x] * k.Weights[at + x];
                    dst[xx] = (float)ss;
                }
            });
            current = output;
        }
        if (outHeight != source.Height)
        {
            var k = Coefficients.Lanczos(source.Height, outHeight);
            var input = current;
            var output = new FloatMap(outHeight, input.Width);
            int w = input.Width;
            Parallel.For(0, outHeight, yy =>
            {
                int start = k.Start[yy], count = k.Count[yy], at = yy * k.Size;
                var dst = output.Row(yy);
                for (int xx = 0; xx < w; xx++)
                {
                    double ss = 0.0;
                    for (int y = 0; y < count; y++) ss += input.Values[(start + y) * w + xx] * k.Weights[at + y];
                    dst[xx] = (float)ss;
                }
            });
            current = output;
        }
        return ReferenceEquals(current, source) ? source.Clone() : current;
    }

    static ByteImage HorizontalPass(ByteImage input, FixedPointCoefficients k, int firstRow, int lastRow)
    {
        int c = input.Channels, outWidth = k.OutSize;
        var output = new ByteImage(lastRow - firstRow, outWidth, c);
        var src = input.Pixels;
        var dst = output.Pixels;
        int inStride = input.Stride, outStride = output.Stride;
        Parallel.For(firstRow, lastRow, y =>
        {
            int inRow = y * inStride, outRow = (y - firstRow) * outStride;
            for (int xx = 0; xx < outWidth; xx++)
            {
                int start = k.Start[xx], count = k.Count[xx], at = xx * k.Size;
                for (int ch = 0; ch < c; ch++)
                {
                    int ss = 1 << (PrecisionBits - 1);
                    int p = inRow + start * c + ch;
                    for (int x = 0; x < count; x++, p += c) ss += src[p] * k.Weights[at + x];
                    dst[outRow + xx * c + ch] = Clip8(ss);
                }
            }
        });
        return output;
    }

    /// <param name="input">the horizontal pass's output</param>
    /// <param name="k">the vertical coefficients</param>
    /// <param name="rowOffset">added to the coefficient windows' first rows (the horizontal pass kept only the rows in use)</param>
    static ByteImage VerticalPass(ByteImage input, FixedPointCoefficients k, int rowOffset)
    {
        int c = input.Channels, outHeight = k.OutSize, rowLength = input.Stride;
        var output = new ByteImage(outHeight, input.Width, c);
        var src = input.Pixels;
        var dst = output.Pixels;
        Parallel.For(0, outHeight, yy =>
        {
            int start = k.Start[yy] + rowOffset, count = k.Count[yy], at = yy * k.Size;
            int outRow = yy * rowLength;
            for (int i = 0; i < rowLength; i++)
            {
                int ss = 1 << (PrecisionBits - 1);
                int p = start * rowLength + i;
                for (int y = 0; y < count; y++, p += rowLength) ss += src[p] * k.Weights[at + y];
                dst[outRow + i] = Clip8(ss);
            }
        });
        return output;
    }

    /// <summary>Pillow's <c>clip8</c>: the fixed-point sum back to 0..255 (truncating the fraction).</summary>
    static byte Clip8(int value)
    {
        if (value >= (1 << PrecisionBits << 8)) return 255;
        if (value <= 0) return 0;
        return (byte)(value >> PrecisionBits);
    }

    /// <summary>Pillow's <c>lanczos_filter</c>: sinc(x)·sinc(x/3) on [-3, 3).</summary>
    internal static double LanczosKernel(double x) =>
        -3.0 <= x && x < 3.0 ? Sinc(x) * Sinc(x / 3) : 0.0;

    static double Sinc(double x)
    {
        if (x == 0.0) return 1.0;
        x *= Math.PI;
        return Math.Sin(x) / x;
    }

    /// <summary>
    /// Pillow's <c>precompute_coeffs</c> for the whole-image box: for each output sample, the first source
    /// index, the number of source samples and their normalised weights (row <c>i</c> at <c>i * Size</c>).
    /// </summary>
    internal sealed class Coefficients
    {
        const double Support = 3.0;

        public required int OutSize { get; init; }
        public required int Size { get; init; }
        public required int[] Start { get; init; }
        public required int[] Count { get; init; }
        public required double[] Weights { get; init; }

        public static Coefficients Lanczos(int inSize, int outSize)
        {
            // (double)(in1 - in0) / outSize with the box (0, inSize) given as floats.
            double scale = (double)(float)inSize / outSize;
            double filterScale = Math.Max(scale, 1.0);
            double support = Support * filterScale;
            int size = (int)Math.Ceiling(support) * 2 + 1;
            var start = new int[outSize];
            var count = new int[outSize];
            var weights = new double[outSize * size];
            for (int xx = 0; xx < outSize; xx++)
            {
                double center = 0.0 + (xx + 0.5) * scale;
                double ww = 0.0;
                double ss = 1.0 / filterScale;
                // (int) truncates toward zero in C and in C#; the arguments' sign makes this a rounding.
                int xmin = (int)(center - support + 0.5);
                if (xmin < 0) xmin = 0;
                int xmax = (int)(center + support + 0.5);
                if (xmax > inSize) xmax = inSize;
                xmax -= xmin;
                int at = xx * size;
                for (int x = 0; x < xmax; x++)
                {
                    double w = LanczosKernel((x + xmin - center + 0.5) * ss);
                    weights[at + x] = w;
                    ww += w;
                }
                for (int x = 0; x < xmax; x++)
                    if (ww != 0.0) weights[at + x] /= ww;
                start[xx] = xmin;
                count[xx] = xmax;
            }
            return new Coefficients { OutSize = outSize, Size = size, Start = start, Count = count, Weights = weights };
        }
    }

    /// <summary>Pillow's <c>normalize_coeffs_8bpc</c>: weights rounded half away from zero to 22 fraction bits.</summary>
    sealed class FixedPointCoefficients
    {
        public required int OutSize { get; init; }
        public required int Size { get; init; }
        public required int[] Start { get; init; }
        public required int[] Count { get; init; }
        public required int[] Weights { get; init; }

        public static FixedPointCoefficients Of(Coefficients k)
        {
            var weights = new int[k.Weights.Length];
            for (int i = 0; i < weights.Length; i++)
            {
                double w = k.Weights[i];
                weights[i] = w < 0 ? (int)(-0.5 + w * (1 << PrecisionBits)) : (int)(0.5 + w * (1 << PrecisionBits));
            }
            return new FixedPointCoefficients { OutSize = k.OutSize, Size = k.Size, Start = k.Start, Count = k.Count, Weights = weights };
        }
    }
}

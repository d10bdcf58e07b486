using Mlda.Core.Hints;
using Mlda.Core.Imaging;

namespace Mlda.Tests.Hints;

/// <summary>
/// A procedural rectified stereo pair with an exactly known disparity and no occlusions: a smooth random texture
/// seen on a surface whose disparity depends on the row only (a ground-plane-like ramp), so the right view is
/// the left texture shifted row by row: R(x, y) = T(x + d(y), y), L(x, y) = T(x, y).
/// </summary>
sealed class StereoScene
{
    public required ByteImage Left { get; init; }
    public required ByteImage Right { get; init; }
    public required float[] RowDisparity { get; init; }

    public static StereoScene Ramp(int height, int width, float nearDisparity, float farDisparity, int seed)
    {
        var rng = new Random(seed);
        // Sum of random oriented sinusoids at a few scales: textured everywhere, smooth at pixel scale.
        var waves = Enumerable.Range(0, 24).Select(i =>
        {
            double scale = 2 + 30 * rng.NextDouble(), angle = rng.NextDouble() * Math.PI;
            return (kx: Math.Cos(angle) / scale, ky: Math.Sin(angle) / scale, phase: rng.NextDouble() * 2 * Math.PI, channel: i % 3);
        }).ToArray();
        double Texture(double x, double y, int c)
        {
            double s = 0;
            foreach (var w in waves)
                s += (w.channel == c ? 1.0 : 0.4) * Math.Sin(2 * Math.PI * (w.kx * x + w.ky * y) + w.phase);
            return 128 + 14 * s;
        }
        var disparity = new float[height];
        for (int y = 0; y < height; y++) disparity[y] = farDisparity + (nearDisparity - farDisparity) * y / (height - 1f);
        var left = new ByteImage(height, width, 3);
        var right = new ByteImage(height, width, 3);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                for (int c = 0; c < 3; c++)
                {
                    left[y, x, c] = (byte)Math.Clamp(Math.Round(Texture(x, y, c)), 0, 255);
                    right[y, x, c] = (byte)Math.Clamp(Math.Round(Texture(x + disparity[y], y, c)), 0, 255);
                }
        return new StereoScene { Left = left, Right = right, RowDisparity = disparity };
    }

    /// <summary>Share of pixels with a hint, and of those the share within 5% of the true depth.</summary>
    public (double Coverage, double Within5Percent) Score(DepthHint hint, DepthHintOptions options, StereoSide side)
    {
        int covered = 0, good = 0, h = hint.Depth.Height, w = hint.Depth.Width;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                float z = hint.Depth[y, x];
                if (!(z > 0)) continue;
                covered++;
                float truth = options.FocalLengthTimesBaseline / RowDisparity[y];
                if (Math.Abs(z - truth) <= 0.05f * truth) good++;
            }
        return (covered / (double)(h * w), covered == 0 ? 0 : good / (double)covered);
    }
}

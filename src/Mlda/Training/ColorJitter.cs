namespace Mlda.Training;

/// <summary>
/// torchvision's <c>ColorJitter(brightness=0.2, contrast=0.2, saturation=0.2, hue=0.1)</c> on a CHW RGB float
/// image in [0, 1]: the four adjustments in a random order, factors drawn uniformly from [0.8, 1.2] (hue shift from
/// [−0.1, 0.1] of a turn), each result clamped to [0, 1] (<c>mono_dataset.py</c> <c>preprocess</c>).
/// </summary>
public sealed class ColorJitter
{
    const float Brightness = 0.2f, Contrast = 0.2f, Saturation = 0.2f, Hue = 0.1f;

    readonly int[] _order;
    readonly float _brightness, _contrast, _saturation, _hue;

    public ColorJitter(Random rng)
    {
        _order = [0, 1, 2, 3];
        rng.Shuffle(_order);
        _brightness = Uniform(rng, 1 - Brightness, 1 + Brightness);
        _contrast = Uniform(rng, 1 - Contrast, 1 + Contrast);
        _saturation = Uniform(rng, 1 - Saturation, 1 + Saturation);
        _hue = Uniform(rng, -Hue, Hue);
    }

    static float Uniform(Random rng, float lo, float hi) => lo + (float)rng.NextDouble() * (hi - lo);

    /// <summary>A jittered copy of <paramref name="chw"/> (3 planes of <paramref name="pixels"/> values).</summary>
    public float[] Apply(float[] chw, int pixels)
    {
        var img = (float[])chw.Clone();
        foreach (var op in _order)
        {
            switch (op)
            {
                case 0: Scale(img, _brightness); break;
                case 1: BlendWithMeanGrey(img, pixels, _contrast); break;
                case 2: BlendWithGrey(img, pixels, _saturation); break;
                case 3: ShiftHue(img, pixels, _hue); break;
            }
        }
        return img;
    }

    static float Grey(float r, float g, float b) => 0.299f * r + 0.587f * g + 0.114f * b;

    static void Scale(float[] img, float f)
    {
        for (int i = 0; i < img.Length; i++) img[i] = Math.Clamp(img[i] * f, 0f, 1f);
    }

    static void BlendWithMeanGrey(float[] img, int n, float f)
    {
        double sum = 0;
        for (int i = 0; i < n; i++) sum += Grey(img[i], img[n + i], img[2 * n + i]);
        float mean = (float)(sum / n);
        for (int i = 0; i < img.Length; i++) img[i] = Math.Clamp(f * img[i] + (1 - f) * mean, 0f, 1f);
    }

    static void BlendWithGrey(float[] img, int n, float f)
    {
        for (int i = 0; i < n; i++)
        {
            float g = Grey(img[i], img[n + i], img[2 * n + i]);
            for (int c = 0; c < 3; c++) img[c * n + i] = Math.Clamp(f * img[c * n + i] + (1 - f) * g, 0f, 1f);
        }
    }

    static void ShiftHue(float[] img, int n, float shift)
    {
        for (int i = 0; i < n; i++)
        {
            float r = img[i], g = img[n + i], b = img[2 * n + i];
            float max = Math.Max(r, Math.Max(g, b)), min = Math.Min(r, Math.Min(g, b));
            float v = max, delta = max - min;
            if (delta <= 0) continue; // grey: hue undefined, unchanged
            float s = delta / max;
            float h = max == r ? (g - b) / delta : max == g ? 2 + (b - r) / delta : 4 + (r - g) / delta;
            h = h / 6f + shift;
            h -= MathF.Floor(h);
            float h6 = h * 6f;
            int sector = (int)h6 % 6;
            float f = h6 - MathF.Floor(h6);
            float p = v * (1 - s), q = v * (1 - s * f), t = v * (1 - s * (1 - f));
            (r, g, b) = sector switch
            {
                0 => (v, t, p),
                1 => (q, v, p),
                2 => (p, v, t),
                3 => (p, q, v),
                4 => (t, p, v),
                _ => (v, p, q),
            };
            img[i] = r; img[n + i] = g; img[2 * n + i] = b;
        }
    }
}

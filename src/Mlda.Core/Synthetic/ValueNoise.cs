namespace Mlda.Core.Synthetic;

/// <summary>
/// Band-limited procedural texture primitives. Every function takes the footprint of one pixel on the surface
/// (metres) and drops the detail finer than it (octaves fade out between f = 0.5/footprint and 1/footprint;
/// edges become ramps one footprint wide), so textures do not alias at any distance and one centre sample per
/// pixel is enough away from silhouettes.
/// </summary>
internal static class ValueNoise
{
    // one finaliser over a linear combination of the lattice coordinates (primes as in Teschner et al. 2003)
    // is enough for texture and three times cheaper than chaining
    static double Lattice(int ix, int iy, uint seed) =>
        Hash.Unit(Hash.Mix((uint)ix * 73856093u ^ (uint)iy * 19349663u ^ seed * 2654435761u)) * 2.0 - 1.0;
    static double Lattice(int ix, int iy, int iz, uint seed) =>
        Hash.Unit(Hash.Mix((uint)ix * 73856093u ^ (uint)iy * 19349663u ^ (uint)iz * 83492791u ^ seed * 2654435761u)) * 2.0 - 1.0;

    static double Fade(double t) => t * t * (3.0 - 2.0 * t);

    /// <summary>Value noise in [-1, 1] with unit lattice spacing.</summary>
    public static double Value(double x, double y, uint seed)
    {
        double fx = Math.Floor(x), fy = Math.Floor(y);
        int ix = (int)fx, iy = (int)fy;
        double tx = Fade(x - fx), ty = Fade(y - fy);
        double a = Lattice(ix, iy, seed), b = Lattice(ix + 1, iy, seed);
        double c = Lattice(ix, iy + 1, seed), d = Lattice(ix + 1, iy + 1, seed);
        double ab = a + (b - a) * tx, cd = c + (d - c) * tx;
        return ab + (cd - ab) * ty;
    }

    public static double Value(double x, double y, double z, uint seed)
    {
        double fx = Math.Floor(x), fy = Math.Floor(y), fz = Math.Floor(z);
        int ix = (int)fx, iy = (int)fy, iz = (int)fz;
        double tx = Fade(x - fx), ty = Fade(y - fy), tz = Fade(z - fz);
        double a = Lattice(ix, iy, iz, seed), b = Lattice(ix + 1, iy, iz, seed);
        double c = Lattice(ix, iy + 1, iz, seed), d = Lattice(ix + 1, iy + 1, iz, seed);
        double e = Lattice(ix, iy, iz + 1, seed), f = Lattice(ix + 1, iy, iz + 1, seed);
        double g = Lattice(ix, iy + 1, iz + 1, seed), h = Lattice(ix + 1, iy + 1, iz + 1, seed);
        double ab = a + (b - a) * tx, cd = c + (d - c) * tx, ef = e + (f - e) * tx, gh = g + (h - g) * tx;
        double lo = ab + (cd - ab) * ty, hi = ef + (gh - ef) * ty;
        return lo + (hi - lo) * tz;
    }

    /// <summary>Weight of an octave of frequency <paramref name="f"/> (cycles/m) under a footprint: 1 up to the
    /// Nyquist half, fading to 0 at Nyquist.</summary>
    public static double OctaveWeight(double f, double footprint)
    {
        double limit = 0.5 / footprint;
        return Math.Clamp(limit / f - 1.0, 0.0, 1.0);
    }

    /// <summary>Frequency ratio between octaves: 2.6 rather than the usual 2 covers the band from decimetres to
    /// millimetres with a third fewer octaves (the dominant cost of shading).</summary>
    const double Lacunarity = 2.6;

    /// <summary>Fractal sum of value noise from <paramref name="baseFreq"/> upwards, band-limited; roughly in [-1, 1].
    /// Each octave is rotated (about 37 degrees) so lattice axes do not line up.</summary>
    public static double Fbm(double x, double y, uint seed, double baseFreq, double footprint, int octaves, double gain = 0.5)
    {
        double sum = 0, amp = 1, f = baseFreq;
        for (int o = 0; o < octaves; o++)
        {
            double w = OctaveWeight(f, footprint);
            if (w <= 0) break;
            sum += amp * w * Value(x * f, y * f, seed + (uint)o * 1013u);
            (x, y) = (0.8 * x - 0.6 * y, 0.6 * x + 0.8 * y);
            f *= Lacunarity;
            amp *= gain;
        }
        return sum;
    }

    public static double Fbm(double x, double y, double z, uint seed, double baseFreq, double footprint, int octaves, double gain = 0.5)
    {
        double sum = 0, amp = 1, f = baseFreq;
        for (int o = 0; o < octaves; o++)
        {
            double w = OctaveWeight(f, footprint);
            if (w <= 0) break;
            sum += amp * w * Value(x * f, y * f, z * f, seed + (uint)o * 1013u);
            (x, y) = (0.8 * x - 0.6 * y, 0.6 * x + 0.8 * y);
            f *= Lacunarity;
            amp *= gain;
        }
        return sum;
    }

    /// <summary>Coverage in [0, 1] of the interval [a, b] at x, with edges ramped over the footprint.</summary>
    public static double Box(double x, double a, double b, double footprint)
    {
        double w = Math.Max(footprint, 1e-4);
        // the difference of two ramps integrates to b - a whatever the footprint: narrow stripes fade, not vanish
        return Math.Clamp((x - a) / w + 0.5, 0, 1) - Math.Clamp((x - b) / w + 0.5, 0, 1);
    }

    /// <summary>Coverage of lines <paramref name="width"/> wide at every multiple of <paramref name="period"/>;
    /// fades to the mean coverage when the footprint approaches the period.</summary>
    public static double Lines(double x, double period, double width, double footprint)
    {
        double mean = width / period;
        double fade = Math.Clamp(2.0 - 4.0 * footprint / period, 0, 1); // 1 below period/4, 0 above period/2
        if (fade <= 0) return mean;
        double u = x / period;
        double dist = Math.Abs(u - Math.Floor(u + 0.5)) * period;
        double w = Math.Max(footprint, 1e-4);
        double cov = Math.Clamp((0.5 * width - dist) / w + 0.5, 0, 1);
        return mean + fade * (cov - mean);
    }

    /// <summary>How much of a cell-level pattern (per-brick tint, per-slab shade) survives a footprint: 1 when
    /// cells span many pixels, 0 when a pixel covers a cell.</summary>
    public static double Detail(double cellSize, double footprint) => Math.Clamp(2.0 - 2.0 * footprint / cellSize, 0, 1);
}

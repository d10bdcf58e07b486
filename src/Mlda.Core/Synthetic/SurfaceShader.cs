using static Mlda.Core.Synthetic.ValueNoise;

namespace Mlda.Core.Synthetic;

/// <summary>Linear RGB in [0, 1].</summary>
internal readonly record struct Rgb(double R, double G, double B)
{
    public static Rgb operator *(double s, Rgb c) => new(s * c.R, s * c.G, s * c.B);
    public static Rgb operator +(Rgb a, Rgb b) => new(a.R + b.R, a.G + b.G, a.B + b.B);
    public static Rgb Lerp(Rgb a, Rgb b, double t) => new(a.R + (b.R - a.R) * t, a.G + (b.G - a.G) * t, a.B + (b.B - a.B) * t);
    public double Luma => 0.299 * R + 0.587 * G + 0.114 * B;
}

/// <summary>
/// Procedural materials and lighting. Surfaces are Lambertian (view-independent, so stereo and temporal warps
/// with the true depth reproduce the target up to resampling) under a fixed sun plus ambient; the sky depends on
/// the direction only, i.e. it is at infinity. Textures are band-limited by the pixel footprint
/// (see <see cref="ValueNoise"/>) and carry detail from decimetres down to millimetres, so photometric matching
/// has texture at every scale and every resolution.
/// </summary>
internal sealed class SurfaceShader
{
    // sun 50 degrees high; fixed in the world so lighting changes with the heading of each drive
    static readonly Vec3 Sun = new Vec3(0.45, -0.38, 0.81).Normalized();
    const double Ambient = 0.48, Diffuse = 0.62;

    readonly StreetScene _scene;
    readonly uint _seed;

    public SurfaceShader(StreetScene scene)
    {
        _scene = scene;
        _seed = scene.Seed;
    }

    public Rgb Shade(in Hit hit, double footprint)
    {
        var albedo = Albedo(hit, footprint);
        double ndl = Math.Max(0, hit.N.Dot(Sun));
        double light = Ambient * (0.85 + 0.15 * hit.N.Z) + Diffuse * ndl;
        return light * albedo;
    }

    /// <summary>Sky colour for a unit direction (no hit): horizon haze to blue zenith, with soft clouds.</summary>
    public Rgb Sky(Vec3 d)
    {
        double up = Math.Max(d.Z, 0);
        var horizon = new Rgb(0.84, 0.88, 0.93);
        var zenith = new Rgb(0.38, 0.56, 0.86);
        var c = Rgb.Lerp(horizon, zenith, Math.Sqrt(up));
        // clouds on a direction-only coordinate (a dome), few low octaves: they cannot alias
        double k = 1.0 / (up + 0.25);
        double n = Fbm(d.X * k * 2.0, d.Y * k * 2.0, _seed ^ 0x5eedu, 1.0, 0.02, 4, 0.55);
        double cloud = Math.Clamp(1.6 * n - 0.1, 0, 1);
        return Rgb.Lerp(c, new Rgb(0.95, 0.95, 0.96), 0.8 * cloud);
    }

    public Rgb Albedo(in Hit hit, double fp) => hit.Surface switch
    {
        SurfaceKind.Road => Road(hit.U, hit.V, fp),
        SurfaceKind.Kerb => Kerb(hit.U, hit.V, fp),
        SurfaceKind.Sidewalk => Sidewalk(hit.U, hit.V, fp),
        _ => Object(hit, fp),
    };

    Rgb Road(double s, double d, double fp)
    {
        // asphalt: grain from 3 mm up, large repair patches and tyre-polished bands
        // a flat spectrum (gain 0.85): millimetre grain stays visible next to the decimetre blotches
        double grain = Fbm(s, d, _seed ^ 0xa5a5u, 2.0, fp, 9, 0.85);
        double patches = Fbm(s, d, _seed ^ 0x1234u, 0.08, fp, 2, 0.5);
        double wheel = 0.03 * Math.Cos((d + 1.75 - 0.8) * Math.PI / 0.8) * Box(Math.Abs(d), 0.3, 3.0, fp);
        double g = 0.30 + 0.055 * grain + 0.05 * patches + wheel;
        var asphalt = new Rgb(g, g, g * 1.03);
        // markings: dashed centre line, solid lines between lanes and parking strips
        double lane = _scene.LaneWidth;
        double dash = Box(d, -0.07, 0.07, fp) * (Box(Mod(s, 9.0), 0, 3.0, fp) + Box(Mod(s, 9.0) - 9.0, 0, 3.0, fp));
        double solid = Box(d, lane - 0.08, lane + 0.08, fp) + Box(d, -lane - 0.08, -lane + 0.08, fp);
        double paint = Math.Clamp(dash + solid, 0, 1);
        if (paint <= 0) return asphalt;
        double wear = 0.82 + 0.1 * Fbm(s, d, _seed ^ 0x77u, 1.5, fp, 6);
        return Rgb.Lerp(asphalt, new Rgb(wear, wear, wear * 0.97), paint);
    }

    Rgb Kerb(double s, double z, double fp)
    {
        double n = Fbm(s, z, _seed ^ 0xbeefu, 3.0, fp, 7);
        double joint = Lines(s, 1.0, 0.012, fp);
        double g = (0.62 + 0.06 * n) * (1 - 0.5 * joint);
        return new Rgb(g, g, g * 0.98);
    }

    Rgb Sidewalk(double s, double d, double fp)
    {
        int side = d > 0 ? 1 : -1;
        double edge = _scene.RoadHalfWidth + _scene.SidewalkWidth(side);
        double ad = Math.Abs(d);
        double n = Fbm(s, d, _seed ^ 0x3141u, 1.5, fp, 8, 0.75);
        // paving slabs 0.4 m with dark joints and a per-slab shade
        const double slab = 0.4;
        double joints = Math.Clamp(Lines(s, slab, 0.01, fp) + Lines(d, slab, 0.01, fp), 0, 1);
        double shade = (Hash.Unit(Hash.Of((uint)(int)Math.Floor(s / slab), (uint)(int)Math.Floor(d / slab), _seed)) - 0.5) * 0.12 * Detail(slab, fp);
        double g = (0.58 + 0.05 * n + shade) * (1 - 0.45 * joints);
        var paving = new Rgb(g * 1.02, g, g * 0.95);
        double t = Box(ad, 0, edge, fp);
        if (t >= 1) return paving;
        // beyond the sidewalk: patchy grass and gravel
        double m = Fbm(s, d, _seed ^ 0x2718u, 0.25, fp, 9, 0.62);
        var grass = new Rgb(0.26 + 0.08 * m, 0.36 + 0.12 * m, 0.15 + 0.05 * m);
        var gravel = new Rgb(0.50 + 0.1 * m, 0.46 + 0.1 * m, 0.40 + 0.08 * m);
        var yard = Rgb.Lerp(grass, gravel, Math.Clamp(0.5 + 1.5 * Fbm(s, d, _seed ^ 0x99u, 0.05, fp, 2), 0, 1));
        return Rgb.Lerp(yard, paving, t);
    }

    Rgb Object(in Hit hit, double fp)
    {
        ref readonly var p = ref _scene.Primitives[hit.Prim];
        var baseColour = new Rgb(p.R, p.G, p.B);
        switch (p.Material)
        {
            case Material.Building:
                return hit.Face switch
                {
                    2 or 3 => Facade(p, hit.U, hit.V, fp),
                    4 => Roof(hit.U, hit.V, p.Seed, fp),
                    _ => WallSurface(p, hit.U, hit.V, fp), // side walls: plain
                };
            case Material.CarBody:
            {
                double n = Fbm(hit.U, hit.V, p.Seed, 4.0, fp, 5);
                double sill = Box(hit.V, 0, 0.16, fp);
                var c = (1 + 0.05 * n) * baseColour;
                return Rgb.Lerp(c, new Rgb(0.08, 0.08, 0.08), 0.8 * sill);
            }
            case Material.CarCabin:
            {
                if (hit.Face == 4) return baseColour;
                double len = hit.Face <= 1 ? 2 * p.Hy : 2 * p.Hx;
                double glass = Box(hit.U, 0.12, len - 0.12, fp) * Box(hit.V, 0.06, 0.44, fp);
                if (hit.Face >= 2) glass *= 1 - Box(hit.U, 0.5 * len - 0.06, 0.5 * len + 0.06, fp); // B pillar
                double refl = 0.12 + 0.1 * hit.V + 0.04 * Fbm(hit.U, hit.V, p.Seed ^ 9u, 1.0, fp, 3);
                return Rgb.Lerp(baseColour, new Rgb(refl, refl * 1.05, refl * 1.15), glass);
            }
            case Material.Tyre:
                return new Rgb(0.06, 0.06, 0.065);
            case Material.Trunk:
            {
                // bark: vertical furrows, finer horizontal cracks
                double n = Fbm(hit.U * 4.0, hit.V * 0.5, p.Seed, 3.0, fp * 2.0, 7, 0.6);
                return (0.8 + 0.35 * n) * baseColour;
            }
            case Material.Crown:
            {
                double n = Fbm(hit.P.X, hit.P.Y, hit.P.Z, p.Seed, 1.2, fp, 8, 0.62);
                double leaf = Math.Clamp(0.75 + 0.9 * n, 0.15, 1.6);
                return new Rgb(p.R * leaf, p.G * leaf, p.B * leaf);
            }
            case Material.Pole:
            {
                double n = Fbm(hit.U, hit.V, p.Seed, 3.0, fp, 6);
                return (1 + 0.12 * n) * baseColour;
            }
            default: // sign: coloured face with a white border towards traffic, grey back
            {
                if (hit.Face > 1) return new Rgb(0.5, 0.5, 0.52);
                double inner = Box(hit.U, 0.06, 0.58, fp) * Box(hit.V, 0.06, 0.58, fp);
                double mark = Box(hit.U, 0.22, 0.42, fp) * Box(hit.V, 0.14, 0.5, fp);
                var face = Rgb.Lerp(new Rgb(0.92, 0.92, 0.92), baseColour, inner);
                return Rgb.Lerp(face, new Rgb(0.92, 0.92, 0.92), mark * (hit.Face == 0 ? 1 : 0.6));
            }
        }
    }

    Rgb WallSurface(in Primitive p, double u, double v, double fp)
    {
        var c = new Rgb(p.R, p.G, p.B);
        if ((p.Variant & 1) == 0)
        {
            // plaster: fine roughness plus large soft stains running down from the roof
            double n = Fbm(u, v, p.Seed, 1.0, fp, 9, 0.75);
            double stain = Fbm(u * 1.5, v * 0.3, p.Seed ^ 0x55u, 0.3, fp, 3);
            return (0.92 + 0.12 * n + 0.06 * stain) * c;
        }
        // bricks 0.24 x 0.075 m with 1 cm mortar, alternate courses offset by half a brick
        const double bh = 0.075, bl = 0.24;
        double row = Math.Floor(v / bh);
        double uu = u + ((int)row & 1) * 0.5 * bl;
        double mortar = Math.Clamp(Lines(v, bh, 0.011, fp) + Lines(uu, bl, 0.011, fp), 0, 1);
        double tint = (Hash.Unit(Hash.Of((uint)(int)Math.Floor(uu / bl), (uint)(int)row, p.Seed)) - 0.5) * 0.3 * Detail(bh, fp);
        double grain = Fbm(u, v, p.Seed, 6.0, fp, 5, 0.55);
        var brick = (1 + tint + 0.1 * grain) * c;
        return Rgb.Lerp(brick, new Rgb(0.72, 0.70, 0.66), 0.85 * mortar);
    }

    Rgb Roof(double u, double v, uint seed, double fp)
    {
        double n = Fbm(u, v, seed ^ 0xabcu, 0.8, fp, 7);
        double g = 0.35 + 0.05 * n;
        return new Rgb(g, g * 0.96, g * 0.94);
    }

    /// <summary>The road-facing facade: storeys of windows on a bay rhythm, doors and shop fronts at street level.</summary>
    Rgb Facade(in Primitive p, double u, double v, double fp)
    {
        var wall = WallSurface(p, u, v, fp);
        double floorH = p.StyleA, bayW = p.StyleB, winW = p.StyleC, winH = p.StyleD;
        double len = 2 * p.Hx, height = 2 * p.Hz;
        int bays = Math.Max(1, (int)(len / bayW));
        double bay = len / bays; // whole bays per facade so windows never straddle a corner
        int bi = (int)Math.Floor(u / bay);
        double x = u - (bi + 0.5) * bay;
        int fi = (int)Math.Floor(v / floorH);
        double y = v - fi * floorH;
        // a cornice line under each storey
        double cornice = fi > 0 ? Box(y, 0, 0.18, fp) : 0;
        var c = Rgb.Lerp(wall, 0.82 * wall + 0.12 * new Rgb(1, 1, 1), cornice);
        if (v > height - 0.8) return Rgb.Lerp(c, 0.7 * wall, Box(v, height - 0.5, height + 1, fp)); // parapet
        uint wh = Hash.Of((uint)bi, (uint)fi, p.Seed);
        if (fi == 0)
        {
            bool shop = (p.Variant & 2) != 0;
            int doorEvery = 2 + ((p.Variant >> 2) & 3);
            if (bi % doorEvery == 1 % doorEvery)
            {
                double door = Box(x, -0.55, 0.55, fp) * Box(y, -0.1, 2.2, fp);
                double frame = Box(x, -0.65, 0.65, fp) * Box(y, -0.1, 2.3, fp) - door;
                double plank = Lines(x, 0.18, 0.012, fp);
                var wood = (0.9 + 0.15 * Fbm(x * 0.3, y * 3, wh, 2.0, fp, 6) - 0.3 * plank) * new Rgb(0.36, 0.22, 0.13);
                return Rgb.Lerp(Rgb.Lerp(c, new Rgb(0.85, 0.85, 0.82), frame), wood, door);
            }
            if (shop)
            {
                double win = Box(x, -0.45 * bay, 0.45 * bay, fp) * Box(y, 0.5, 2.6, fp);
                return Rgb.Lerp(c, Glass(x, y, wh, fp, 0.6), win);
            }
        }
        double sill = 0.95;
        double pane = Box(x, -0.5 * winW, 0.5 * winW, fp) * Box(y, sill, sill + winH, fp);
        double outer = Box(x, -0.5 * winW - 0.09, 0.5 * winW + 0.09, fp) * Box(y, sill - 0.12, sill + winH + 0.09, fp);
        double mullion = Box(x, -0.03, 0.03, fp) + Box(y, sill + 0.62 * winH - 0.03, sill + 0.62 * winH + 0.03, fp);
        var framed = Rgb.Lerp(c, new Rgb(0.90, 0.90, 0.88), outer);
        return Rgb.Lerp(framed, Glass(x, y, wh, fp, 0.0), pane * (1 - Math.Clamp(mullion, 0, 1)));
    }

    /// <summary>Window glass: dark, with a per-window curtain or light level and a vertical sheen.</summary>
    static Rgb Glass(double x, double y, uint h, double fp, double warmth)
    {
        double lit = Hash.Unit(h);
        double curtain = Hash.Unit(Hash.Mix(h)) < 0.35 ? 1 : 0;
        double sheen = 0.08 + 0.06 * (y - Math.Floor(y)) + 0.05 * Fbm(x, y, h, 2.0, fp, 4);
        var glass = new Rgb(sheen + 0.15 * warmth * lit, sheen * 1.08 + 0.1 * warmth * lit, sheen * 1.2);
        var cloth = new Rgb(0.55 + 0.2 * lit, 0.5 + 0.15 * lit, 0.42);
        double folds = 0.85 + 0.15 * Math.Sin(x * 40) * ValueNoise.Detail(0.16, fp);
        return curtain > 0 ? Rgb.Lerp(glass, folds * cloth, Box(y, 1.1, 10, fp) * 0.9) : glass;
    }

    static double Mod(double a, double m) => a - m * Math.Floor(a / m);
}

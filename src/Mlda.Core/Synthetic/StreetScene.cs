namespace Mlda.Core.Synthetic;

/// <summary>
/// A static street: road (two lanes plus a parking strip each side, markings), kerbs, sidewalks, a first row of
/// building facades at varied set-backs with side gaps, a second row behind, parked cars, trees and poles.
/// Generated from one seed along the arc-length range the drive can see.
/// </summary>
internal sealed class StreetScene
{
    /// <summary>Height of the sidewalk (and of everything beyond the kerb) above the road surface.</summary>
    public const double KerbHeight = 0.15;

    public RoadGeometry Road { get; }
    public double LaneWidth { get; }
    /// <summary>Lateral distance from the centreline to the kerb face.</summary>
    public double RoadHalfWidth { get; }
    public double SidewalkLeft { get; }
    public double SidewalkRight { get; }
    public uint Seed { get; }
    public Primitive[] Primitives { get; }
    public SceneGrid Grid { get; }
    public double MaxHeight { get; }

    StreetScene(RoadGeometry road, double laneWidth, double halfWidth, double swLeft, double swRight, uint seed, Primitive[] prims)
    {
        Road = road;
        LaneWidth = laneWidth;
        RoadHalfWidth = halfWidth;
        SidewalkLeft = swLeft;
        SidewalkRight = swRight;
        Seed = seed;
        Primitives = prims;
        // large cells: stepping from cell to cell costs more than the (cheaply rejected) object tests (measured)
        Grid = new SceneGrid(prims, cellSize: 12.0);
        MaxHeight = prims.Length == 0 ? KerbHeight : prims.Max(p => p.Top);
    }

    public double SidewalkWidth(int side) => side > 0 ? SidewalkLeft : SidewalkRight;

    /// <summary>Builds the street for arc lengths [<paramref name="sFrom"/>, <paramref name="sTo"/>].</summary>
    public static StreetScene Generate(ulong seed, RoadGeometry road, double sFrom, double sTo)
    {
        var rng = new SceneRandom(seed);
        double lane = rng.Uniform(3.2, 3.7);
        double half = lane + rng.Uniform(2.0, 2.4);
        double swL = rng.Uniform(2.6, 4.5), swR = rng.Uniform(2.6, 4.5);
        var prims = new List<Primitive>();
        foreach (int side in new[] { 1, -1 })
        {
            double sw = side > 0 ? swL : swR;
            AddBuildings(ref rng, prims, road, side, half, sw, sFrom, sTo);
            AddBackRow(ref rng, prims, road, side, half, sw, sFrom, sTo);
            AddParkedCars(ref rng, prims, road, side, half, sFrom, sTo);
            AddTrees(ref rng, prims, road, side, half, sw, sFrom, sTo);
            AddPoles(ref rng, prims, road, side, half, sFrom, sTo);
        }
        return new StreetScene(road, lane, half, swL, swR, (uint)(seed ^ (seed >> 32)), prims.ToArray());
    }

    static Primitive OrientedBox(RoadGeometry road, double s, double d, double z, double hx, double hy, double hz,
                                 Material m, uint seed, (double R, double G, double B) c,
                                 double a = 0, double b = 0, double cc = 0, double dd = 0, int variant = 0)
    {
        var (x, y) = road.Point(s, d);
        double th = road.Heading(s);
        return new Primitive(PrimitiveKind.Box, m, x, y, z, Math.Cos(th), Math.Sin(th), hx, hy, hz, seed, c.R, c.G, c.B, a, b, cc, dd, variant);
    }

    static readonly (double, double, double)[] Plaster =
    {
        (0.86, 0.82, 0.72), (0.92, 0.90, 0.86), (0.74, 0.74, 0.72), (0.85, 0.70, 0.48), (0.86, 0.72, 0.68),
        (0.66, 0.72, 0.66), (0.78, 0.66, 0.56), (0.60, 0.58, 0.56),
    };
    static readonly (double, double, double)[] Brick = { (0.58, 0.27, 0.20), (0.66, 0.40, 0.28), (0.48, 0.30, 0.26) };
    static readonly (double, double, double)[] Paint =
    {
        (0.92, 0.92, 0.92), (0.70, 0.71, 0.73), (0.10, 0.10, 0.11), (0.62, 0.10, 0.08), (0.12, 0.22, 0.50),
        (0.30, 0.32, 0.34), (0.80, 0.78, 0.70), (0.18, 0.35, 0.22),
    };

    static Primitive Building(ref SceneRandom rng, RoadGeometry road, int side, double s0, double len, double setback, double depth, double height)
    {
        bool brick = rng.Chance(0.3);
        var colour = brick ? Brick[rng.Below(Brick.Length)] : Plaster[rng.Below(Plaster.Length)];
        double floorH = rng.Uniform(2.9, 3.6), bayW = rng.Uniform(2.2, 3.4);
        double winW = bayW * rng.Uniform(0.4, 0.6), winH = rng.Uniform(1.2, 1.7);
        int variant = (brick ? 1 : 0) | (rng.Chance(0.35) ? 2 : 0) /* shop front */ | (rng.Below(4) << 2) /* door rhythm */;
        double sc = s0 + 0.5 * len;
        return OrientedBox(road, sc, side * (setback + 0.5 * depth), KerbHeight + 0.5 * height,
            0.5 * len, 0.5 * depth, 0.5 * height, Material.Building, rng.NextUInt(), colour, floorH, bayW, winW, winH, variant);
    }

    static void AddBuildings(ref SceneRandom rng, List<Primitive> prims, RoadGeometry road, int side, double half, double sw, double sFrom, double sTo)
    {
        double s = sFrom + rng.Uniform(0, 6);
        while (s < sTo)
        {
            if (rng.Chance(0.16)) { s += rng.Uniform(5, 14); continue; } // side gap: a view to the back row or the sky
            double len = rng.Uniform(8, 24);
            double setback = half + sw + (rng.Chance(0.5) ? 0 : rng.Uniform(0.5, 7));
            prims.Add(Building(ref rng, road, side, s, len, setback, rng.Uniform(8, 14), rng.Uniform(5, 20)));
            s += len + (rng.Chance(0.3) ? rng.Uniform(0.6, 3) : 0);
        }
    }

    static void AddBackRow(ref SceneRandom rng, List<Primitive> prims, RoadGeometry road, int side, double half, double sw, double sFrom, double sTo)
    {
        double s = sFrom + rng.Uniform(0, 10);
        while (s < sTo)
        {
            double len = rng.Uniform(12, 30);
            prims.Add(Building(ref rng, road, side, s, len, half + sw + rng.Uniform(24, 36), rng.Uniform(10, 16), rng.Uniform(10, 30)));
            s += len + rng.Uniform(0, 12);
        }
    }

    static void AddParkedCars(ref SceneRandom rng, List<Primitive> prims, RoadGeometry road, int side, double half, double sFrom, double sTo)
    {
        double s = sFrom + rng.Uniform(0, 8);
        while (s < sTo)
        {
            double len = rng.Uniform(3.9, 4.8), wid = rng.Uniform(1.7, 1.9);
            if (rng.Chance(0.6))
            {
                double sc = s + 0.5 * len, dc = side * (half - 0.25 - 0.5 * wid);
                var paint = Paint[rng.Below(Paint.Length)];
                uint id = rng.NextUInt();
                prims.Add(OrientedBox(road, sc, dc, 0.73, 0.5 * len, 0.5 * wid, 0.73, Material.CarBody, id, paint) with
                    { Kind = PrimitiveKind.Group, Variant = 6 });
                prims.Add(OrientedBox(road, sc, dc, 0.62, 0.5 * len, 0.5 * wid, 0.32, Material.CarBody, id, paint));
                double cabinLen = len * rng.Uniform(0.45, 0.6);
                prims.Add(OrientedBox(road, sc - 0.05 * len, dc, 1.19, 0.5 * cabinLen, 0.45 * wid, 0.25, Material.CarCabin, id, paint));
                foreach (double fx in new[] { -0.33, 0.33 })
                foreach (double fy in new[] { -0.5, 0.5 })
                    prims.Add(OrientedBox(road, sc + fx * len, dc + fy * (wid - 0.22), 0.3, 0.31, 0.11, 0.3, Material.Tyre, id, (0.06, 0.06, 0.06)));
            }
            s += len + rng.Uniform(0.8, 6);
        }
    }

    static void AddTrees(ref SceneRandom rng, List<Primitive> prims, RoadGeometry road, int side, double half, double sw, double sFrom, double sTo)
    {
        double s = sFrom + rng.Uniform(0, 10);
        while (s < sTo)
        {
            if (rng.Chance(0.7))
            {
                var (x, y) = road.Point(s, side * (half + Math.Min(rng.Uniform(0.8, 1.6), sw - 0.5)));
                double trunkH = rng.Uniform(2.4, 3.6), r = rng.Uniform(0.12, 0.24), crown = rng.Uniform(1.3, 2.3);
                uint id = rng.NextUInt();
                double top = trunkH + 1.6 * crown;
                prims.Add(new Primitive(PrimitiveKind.Group, Material.Crown, x, y, KerbHeight + 0.5 * top, 1, 0, crown, crown, 0.5 * top, id, 0, 0, 0, Variant: 2));
                prims.Add(new Primitive(PrimitiveKind.Cylinder, Material.Trunk, x, y, KerbHeight + 0.5 * (trunkH + crown), 1, 0, r, r,
                    0.5 * (trunkH + crown), id, 0.36, 0.27, 0.18));
                prims.Add(new Primitive(PrimitiveKind.Sphere, Material.Crown, x, y, KerbHeight + trunkH + 0.6 * crown, 1, 0, crown, crown, crown,
                    id, rng.Uniform(0.14, 0.24), rng.Uniform(0.28, 0.40), rng.Uniform(0.08, 0.16)));
            }
            s += rng.Uniform(7, 18);
        }
    }

    static void AddPoles(ref SceneRandom rng, List<Primitive> prims, RoadGeometry road, int side, double half, double sFrom, double sTo)
    {
        double s = sFrom + rng.Uniform(0, 20);
        while (s < sTo)
        {
            var (x, y) = road.Point(s, side * (half + 0.45));
            double h = rng.Uniform(4.5, 8), r = rng.Uniform(0.06, 0.1);
            uint id = rng.NextUInt();
            prims.Add(new Primitive(PrimitiveKind.Cylinder, Material.Pole, x, y, KerbHeight + 0.5 * h, 1, 0, r, r, 0.5 * h, id, 0.52, 0.53, 0.55));
            if (rng.Chance(0.4))
            {
                // a traffic sign facing the oncoming traffic of this side
                var sign = rng.Chance(0.5) ? (0.10, 0.25, 0.65) : (0.75, 0.12, 0.10);
                prims.Add(OrientedBox(road, s + 0.12, side * (half + 0.45), KerbHeight + 2.3, 0.03, 0.32, 0.32, Material.Sign, id, sign));
            }
            s += rng.Uniform(18, 35);
        }
    }
}

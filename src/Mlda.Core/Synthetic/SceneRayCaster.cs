namespace Mlda.Core.Synthetic;

internal enum SurfaceKind : byte { Sky, Road, Kerb, Sidewalk, Object }

/// <summary>The nearest surface along a ray: where, its normal, and its texture coordinates in metres.</summary>
internal struct Hit
{
    public SurfaceKind Surface;
    public int Prim;
    public int Face;
    /// <summary>Distance along the (unit) ray.</summary>
    public double T;
    public Vec3 P;
    public Vec3 N;
    /// <summary>Surface coordinates in metres: (s, d) on the ground, (along, up) on walls and trunks.</summary>
    public double U, V;

    /// <summary>Which surface a sample landed on; neighbouring pixels with different ids are supersampled.</summary>
    public readonly int Id => Surface == SurfaceKind.Object ? 8 + Prim * 8 + Face : (int)Surface;
}

/// <summary>
/// Analytic ray casting against a <see cref="StreetScene"/>: the ground (road at z = 0, sidewalks and yards at
/// the kerb height, the kerb face between them) in closed form, objects through the grid walk.
/// </summary>
internal sealed class SceneRayCaster
{
    /// <summary>The ground ends here (the horizon band beyond is sky), so no depth is absurdly large.</summary>
    public const double GroundRange = 1000.0;
    const double FarLimit = 1500.0;
    const double TMin = 1e-6;

    readonly StreetScene _scene;
    readonly Primitive[] _prims;
    readonly SceneGrid _grid;

    public SceneRayCaster(StreetScene scene)
    {
        _scene = scene;
        _prims = scene.Primitives;
        _grid = scene.Grid;
    }

    public StreetScene Scene => _scene;

    /// <summary>Casts a ray with unit direction <paramref name="d"/>; false (sky) when nothing is hit.</summary>
    public bool Trace(Vec3 o, Vec3 d, out Hit hit)
    {
        hit = default;
        double best = double.PositiveInfinity;
        var ground = TraceGround(o, d, ref best);
        int prim = -1, face = 0;
        double tLimit = Math.Min(best, FarLimit);
        if (d.Z > 0) tLimit = Math.Min(tLimit, (_scene.MaxHeight - o.Z) / d.Z);
        if (tLimit > 0) TraceObjects(o, d, tLimit, ref best, ref prim, ref face);
        if (double.IsPositiveInfinity(best)) return false;
        hit.T = best;
        hit.P = o + best * d;
        if (prim >= 0) ObjectHit(prim, face, ref hit);
        else GroundHit(ground, d, ref hit);
        return true;
    }

    // ---------------------------------------------------------------- ground

    SurfaceKind TraceGround(Vec3 o, Vec3 d, ref double best)
    {
        if (d.Z >= -1e-12 || o.Z <= StreetScene.KerbHeight) return SurfaceKind.Sky;
        var road = _scene.Road;
        double w = _scene.RoadHalfWidth;
        double t1 = (StreetScene.KerbHeight - o.Z) / d.Z;
        if (t1 > GroundRange) return SurfaceKind.Sky;
        double d1 = road.Lateral(o.X + t1 * d.X, o.Y + t1 * d.Y);
        if (Math.Abs(d1) >= w) { best = t1; return SurfaceKind.Sidewalk; }
        double t0 = -o.Z / d.Z;
        double d0 = road.Lateral(o.X + t0 * d.X, o.Y + t0 * d.Y);
        if (Math.Abs(d0) < w) { best = t0; return SurfaceKind.Road; }
        // The ray passes over the road at kerb height and over the sidewalk at road height: it meets the kerb
        // face in between. Over a few centimetres the lateral offset is linear in t, so regula falsi converges
        // in a couple of steps.
        double side = Math.Sign(d0);
        double ta = t1, fa = side * d1 - w, tb = t0, fb = side * d0 - w;
        double t = ta;
        for (int i = 0; i < 4; i++)
        {
            t = ta - fa * (tb - ta) / (fb - fa);
            double f = side * road.Lateral(o.X + t * d.X, o.Y + t * d.Y) - w;
            if (f < 0) { ta = t; fa = f; } else { tb = t; fb = f; }
        }
        best = t;
        return SurfaceKind.Kerb;
    }

    void GroundHit(SurfaceKind kind, Vec3 d, ref Hit hit)
    {
        hit.Surface = kind;
        hit.Prim = -1;
        var (s, lat) = _scene.Road.ToRoad(hit.P.X, hit.P.Y);
        hit.U = s;
        if (kind == SurfaceKind.Kerb)
        {
            double th = _scene.Road.Heading(s), side = Math.Sign(lat);
            // faces the road: towards decreasing |d|
            hit.N = new Vec3(side * Math.Sin(th), -side * Math.Cos(th), 0);
            hit.V = hit.P.Z;
            hit.Face = side > 0 ? 0 : 1;
        }
        else
        {
            hit.N = new Vec3(0, 0, 1);
            hit.V = lat;
        }
    }

    // ---------------------------------------------------------------- objects

    void TraceObjects(Vec3 o, Vec3 d, double tLimit, ref double best, ref int prim, ref int face)
    {
        var g = _grid;
        double cell = g.Cell;
        // clip the segment [0, tLimit] to the grid rectangle
        double tEnter = 0, tExit = tLimit;
        if (!Clip(o.X, d.X, g.X0, g.X0 + g.Nx * cell, ref tEnter, ref tExit)) return;
        if (!Clip(o.Y, d.Y, g.Y0, g.Y0 + g.Ny * cell, ref tEnter, ref tExit)) return;
        double px = o.X + tEnter * d.X, py = o.Y + tEnter * d.Y;
        int ix = Math.Clamp((int)Math.Floor((px - g.X0) / cell), 0, g.Nx - 1);
        int iy = Math.Clamp((int)Math.Floor((py - g.Y0) / cell), 0, g.Ny - 1);
        int stepX = d.X > 0 ? 1 : -1, stepY = d.Y > 0 ? 1 : -1;
        double tDeltaX = d.X != 0 ? cell / Math.Abs(d.X) : double.PositiveInfinity;
        double tDeltaY = d.Y != 0 ? cell / Math.Abs(d.Y) : double.PositiveInfinity;
        double tNextX = d.X != 0 ? (g.X0 + (ix + (d.X > 0 ? 1 : 0)) * cell - o.X) / d.X : double.PositiveInfinity;
        double tNextY = d.Y != 0 ? (g.Y0 + (iy + (d.Y > 0 ? 1 : 0)) * cell - o.Y) / d.Y : double.PositiveInfinity;
        double tCell = tEnter;
        double planarLength = Math.Sqrt(d.X * d.X + d.Y * d.Y);
        while (true)
        {
            if (d.Z > 0 && o.Z + tCell * d.Z > g.BlockTop(ix >> SceneGrid.BlockShift, iy >> SceneGrid.BlockShift))
            {
                // A rising ray above everything in this block of cells (most sky rays): leave the block in one step.
                int bx = ix >> SceneGrid.BlockShift, by = iy >> SceneGrid.BlockShift;
                double size = cell * (1 << SceneGrid.BlockShift);
                double bx0 = g.X0 + bx * size, by0 = g.Y0 + by * size;
                double tx = d.X > 0 ? (bx0 + size - o.X) / d.X : d.X < 0 ? (bx0 - o.X) / d.X : double.PositiveInfinity;
                double ty = d.Y > 0 ? (by0 + size - o.Y) / d.Y : d.Y < 0 ? (by0 - o.Y) / d.Y : double.PositiveInfinity;
                double tOut = Math.Min(tx, ty);
                if (tOut >= tExit || best <= tOut) return;
                tCell = tOut;
                if (tx <= ty) ix = d.X > 0 ? (bx + 1) << SceneGrid.BlockShift : (bx << SceneGrid.BlockShift) - 1;
                else ix = Math.Clamp((int)Math.Floor((o.X + tOut * d.X - g.X0) / cell), 0, g.Nx - 1);
                if (ty <= tx) iy = d.Y > 0 ? (by + 1) << SceneGrid.BlockShift : (by << SceneGrid.BlockShift) - 1;
                else iy = Math.Clamp((int)Math.Floor((o.Y + tOut * d.Y - g.Y0) / cell), 0, g.Ny - 1);
                if ((uint)ix >= (uint)g.Nx || (uint)iy >= (uint)g.Ny) return;
                tNextX = d.X != 0 ? (g.X0 + (ix + (d.X > 0 ? 1 : 0)) * cell - o.X) / d.X : double.PositiveInfinity;
                tNextY = d.Y != 0 ? (g.Y0 + (iy + (d.Y > 0 ? 1 : 0)) * cell - o.Y) / d.Y : double.PositiveInfinity;
                continue;
            }
            double cellEnd = Math.Min(Math.Min(tNextX, tNextY), tExit);
            // lowest point of the ray inside the cell: nothing to hit if it passes above every object there
            double zLow = o.Z + (d.Z > 0 ? tCell : cellEnd) * d.Z;
            if (zLow <= g.Top(ix, iy))
            {
                foreach (int i in g.Items(ix, iy))
                {
                    if (i == prim) continue; // already the best: testing it again cannot improve
                    TestPrimitive(i, o, d, planarLength, ref best, ref prim, ref face);
                }
            }
            if (best <= cellEnd || cellEnd >= tExit) return;
            tCell = cellEnd;
            if (tNextX < tNextY)
            {
                ix += stepX;
                if ((uint)ix >= (uint)g.Nx) return;
                tNextX += tDeltaX;
            }
            else
            {
                iy += stepY;
                if ((uint)iy >= (uint)g.Ny) return;
                tNextY += tDeltaY;
            }
        }
    }

    void TestPrimitive(int i, Vec3 o, Vec3 d, double planarLength, ref double best, ref int prim, ref int face)
    {
        ref readonly var p = ref _prims[i];
        // cheap rejection first (no division): in plan, the ray's line misses the object's bounding circle,
        // or the circle lies wholly behind the origin or wholly beyond the nearest hit so far
        double rx = p.X - o.X, ry = p.Y - o.Y, r2 = p.Radius2;
        double along = rx * d.X + ry * d.Y, planar = d.X * d.X + d.Y * d.Y;
        double cross = rx * d.Y - ry * d.X;
        if (cross * cross > r2 * planar) return;
        if (along < 0 && along * along > r2 * planar) return;
        if (along - p.Radius * planarLength > best * planar) return;
        double t; int f;
        switch (p.Kind)
        {
            case PrimitiveKind.Box: t = IntersectBox(p, o, d, best, out f); break;
            case PrimitiveKind.Cylinder: t = IntersectCylinder(p, o, d, best); f = 0; break;
            case PrimitiveKind.Sphere: t = IntersectSphere(p, o, d, best); f = 0; break;
            default:
                if (IntersectBox(p, o, d, best, out _, inside: true) < best)
                    for (int k = 1; k <= p.Variant; k++) TestPrimitive(i + k, o, d, planarLength, ref best, ref prim, ref face);
                return;
        }
        if (t < best) { best = t; prim = i; face = f; }
    }

    static bool Clip(double o, double d, double lo, double hi, ref double tEnter, ref double tExit)
    {
        if (d == 0) return o >= lo && o < hi;
        double a = (lo - o) / d, b = (hi - o) / d;
        if (a > b) (a, b) = (b, a);
        tEnter = Math.Max(tEnter, a);
        tExit = Math.Min(tExit, b);
        return tEnter < tExit;
    }

    /// <summary>Slab test in the box's yawed frame; returns +inf on a miss. Faces: 0 +x, 1 -x, 2 +y, 3 -y, 4 +z, 5 -z.</summary>
    static double IntersectBox(in Primitive p, Vec3 o, Vec3 d, double tMax, out int face, bool inside = false)
    {
        face = 0;
        double rx = o.X - p.X, ry = o.Y - p.Y;
        double lox = p.Cos * rx + p.Sin * ry, loy = -p.Sin * rx + p.Cos * ry, loz = o.Z - p.Z;
        double ldx = p.Cos * d.X + p.Sin * d.Y, ldy = -p.Sin * d.X + p.Cos * d.Y, ldz = d.Z;
        double tNear = TMin, tFar = tMax;
        if (!Slab(lox, ldx, p.Hx, 0, ref tNear, ref tFar, ref face)) return double.PositiveInfinity;
        if (!Slab(loy, ldy, p.Hy, 2, ref tNear, ref tFar, ref face)) return double.PositiveInfinity;
        if (!Slab(loz, ldz, p.Hz, 4, ref tNear, ref tFar, ref face)) return double.PositiveInfinity;
        // a group's box counts as hit from inside too: its members decide
        return tNear > TMin || inside ? tNear : double.PositiveInfinity;
    }

    static bool Slab(double o, double d, double h, int faceBase, ref double tNear, ref double tFar, ref int face)
    {
        if (Math.Abs(d) < 1e-15) return o > -h && o < h;
        double inv = 1.0 / d;
        double t1 = (-h - o) * inv, t2 = (h - o) * inv;
        // entering through -h when moving +, through +h when moving -
        int f = d > 0 ? faceBase + 1 : faceBase;
        if (t1 > t2) (t1, t2) = (t2, t1);
        if (t1 > tNear) { tNear = t1; face = f; }
        if (t2 < tFar) tFar = t2;
        return tNear <= tFar;
    }

    static double IntersectCylinder(in Primitive p, Vec3 o, Vec3 d, double tMax)
    {
        double rx = o.X - p.X, ry = o.Y - p.Y;
        double a = d.X * d.X + d.Y * d.Y;
        if (a < 1e-18) return double.PositiveInfinity;
        double b = rx * d.X + ry * d.Y, c = rx * rx + ry * ry - p.Hx * p.Hx;
        double disc = b * b - a * c;
        if (disc < 0) return double.PositiveInfinity;
        double t = (-b - Math.Sqrt(disc)) / a;
        if (t <= TMin || t >= tMax) return double.PositiveInfinity;
        double z = o.Z + t * d.Z;
        return Math.Abs(z - p.Z) <= p.Hz ? t : double.PositiveInfinity;
    }

    static double IntersectSphere(in Primitive p, Vec3 o, Vec3 d, double tMax)
    {
        double rx = o.X - p.X, ry = o.Y - p.Y, rz = o.Z - p.Z;
        double b = rx * d.X + ry * d.Y + rz * d.Z, c = rx * rx + ry * ry + rz * rz - p.Hx * p.Hx;
        double disc = b * b - c;
        if (disc < 0) return double.PositiveInfinity;
        double t = -b - Math.Sqrt(disc);
        return t > TMin && t < tMax ? t : double.PositiveInfinity;
    }

    void ObjectHit(int i, int face, ref Hit hit)
    {
        ref readonly var p = ref _prims[i];
        hit.Surface = SurfaceKind.Object;
        hit.Prim = i;
        hit.Face = face;
        double rx = hit.P.X - p.X, ry = hit.P.Y - p.Y, rz = hit.P.Z - p.Z;
        switch (p.Kind)
        {
            case PrimitiveKind.Box:
            {
                double lx = p.Cos * rx + p.Sin * ry, ly = -p.Sin * rx + p.Cos * ry;
                switch (face)
                {
                    case 0: case 1:
                        hit.N = face == 0 ? new Vec3(p.Cos, p.Sin, 0) : new Vec3(-p.Cos, -p.Sin, 0);
                        hit.U = ly + p.Hy; hit.V = rz + p.Hz; break;
                    case 2: case 3:
                        hit.N = face == 2 ? new Vec3(-p.Sin, p.Cos, 0) : new Vec3(p.Sin, -p.Cos, 0);
                        hit.U = lx + p.Hx; hit.V = rz + p.Hz; break;
                    default:
                        hit.N = new Vec3(0, 0, face == 4 ? 1 : -1);
                        hit.U = lx + p.Hx; hit.V = ly + p.Hy; break;
                }
                break;
            }
            case PrimitiveKind.Cylinder:
                hit.N = new Vec3(rx / p.Hx, ry / p.Hx, 0);
                hit.U = Math.Atan2(ry, rx) * p.Hx;
                hit.V = rz + p.Hz;
                break;
            default:
                hit.N = new Vec3(rx / p.Hx, ry / p.Hx, rz / p.Hx);
                break;
        }
    }
}

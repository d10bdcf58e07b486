namespace Mlda.Core.Synthetic;

/// <summary>Group: an oriented box around the next <see cref="Primitive.Variant"/> primitives (a car, a tree); rays
/// that miss it skip them all.</summary>
internal enum PrimitiveKind : byte { Box, Cylinder, Sphere, Group }

/// <summary>What a surface looks like; selects the procedural texture in <see cref="SurfaceShader"/>.</summary>
internal enum Material : byte { Building, CarBody, CarCabin, Tyre, Trunk, Crown, Pole, Sign }

/// <summary>
/// One scene object. Boxes are yawed about the vertical (local x along the road, y to the left); cylinders are
/// vertical (radius <see cref="Hx"/>, half height <see cref="Hz"/>); spheres have radius <see cref="Hx"/>.
/// The style numbers parameterise the texture (facade rhythm, paint colour) so shading needs no lookups.
/// </summary>
internal readonly record struct Primitive(
    PrimitiveKind Kind, Material Material,
    double X, double Y, double Z,
    double Cos, double Sin,
    double Hx, double Hy, double Hz,
    uint Seed,
    double R, double G, double B,
    double StyleA = 0, double StyleB = 0, double StyleC = 0, double StyleD = 0, int Variant = 0)
{
    /// <summary>Squared radius of the object's bounding circle in plan, for a division-free rejection test.</summary>
    public double Radius2 { get; } = Kind is PrimitiveKind.Cylinder or PrimitiveKind.Sphere ? Hx * Hx : Hx * Hx + Hy * Hy;

    public double Radius { get; } = Math.Sqrt(Kind is PrimitiveKind.Cylinder or PrimitiveKind.Sphere ? Hx * Hx : Hx * Hx + Hy * Hy);

    /// <summary>Axis-aligned footprint in the world xy plane, for the grid.</summary>
    public (double MinX, double MinY, double MaxX, double MaxY) Bounds2D()
    {
        if (Kind is PrimitiveKind.Cylinder or PrimitiveKind.Sphere) return (X - Hx, Y - Hx, X + Hx, Y + Hx);
        double ex = Math.Abs(Cos) * Hx + Math.Abs(Sin) * Hy;
        double ey = Math.Abs(Sin) * Hx + Math.Abs(Cos) * Hy;
        return (X - ex, Y - ey, X + ex, Y + ey);
    }

    public double Top => Kind == PrimitiveKind.Sphere ? Z + Hx : Z + Hz;
}

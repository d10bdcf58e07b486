namespace Mlda.Core.Synthetic;

/// <summary>
/// The road centreline: a circular arc through the world origin with a signed radius (positive turns left,
/// a very large radius is a straight road). A circle keeps the two road coordinates of any ground point in
/// closed form: s (arc length from the origin) and d (lateral offset, left positive), which the kerbs, the
/// lane markings and the placement of every object need.
/// </summary>
internal sealed class RoadGeometry
{
    readonly double _rho, _sign, _cx, _cy;

    public RoadGeometry(double signedRadius, double startHeading)
    {
        _rho = signedRadius;
        _sign = Math.Sign(signedRadius);
        StartHeading = startHeading;
        // the centre lies one radius to the left of the start point (to the right for a negative radius)
        _cx = -signedRadius * Math.Sin(startHeading);
        _cy = signedRadius * Math.Cos(startHeading);
    }

    public double SignedRadius => _rho;
    public double StartHeading { get; }

    /// <summary>Direction of travel (radians, 0 = east, counter-clockwise) at arc length s.</summary>
    public double Heading(double s) => StartHeading + s / _rho;

    /// <summary>World x, y of the road point (s, d).</summary>
    public (double X, double Y) Point(double s, double d)
    {
        double th = Heading(s), r = _rho - d;
        return (_cx + r * Math.Sin(th), _cy - r * Math.Cos(th));
    }

    /// <summary>Lateral offset d of a world point (left of the centreline positive).</summary>
    public double Lateral(double x, double y)
    {
        double vx = x - _cx, vy = y - _cy;
        return _rho - _sign * Math.Sqrt(vx * vx + vy * vy);
    }

    /// <summary>Arc length s and lateral offset d of a world point.</summary>
    public (double S, double D) ToRoad(double x, double y)
    {
        double vx = x - _cx, vy = y - _cy;
        double d = _rho - _sign * Math.Sqrt(vx * vx + vy * vy);
        double th = Math.Atan2(_sign * vx, -_sign * vy);
        double dth = th - StartHeading;
        // wrap to (-pi, pi]: drives cover far less than half a turn of the road circle
        if (dth > Math.PI) dth -= 2 * Math.PI;
        else if (dth <= -Math.PI) dth += 2 * Math.PI;
        return (dth * _rho, d);
    }
}

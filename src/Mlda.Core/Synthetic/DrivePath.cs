namespace Mlda.Core.Synthetic;

/// <summary>
/// Where the vehicle is at one frame: the road point under cam0 (world x east, y north, metres), its heading
/// (radians from east, counter-clockwise, the oxts yaw convention) and its road coordinates.
/// </summary>
public readonly record struct VehiclePose(double X, double Y, double Heading, double S, double D)
{
    internal Vec3 Forward => new(Math.Cos(Heading), Math.Sin(Heading), 0);
    internal Vec3 Left => new(-Math.Sin(Heading), Math.Cos(Heading), 0);
    internal Vec3 Right => new(Math.Sin(Heading), -Math.Cos(Heading), 0);

    /// <summary>World position of camera <paramref name="cam"/> (0..3).</summary>
    internal Vec3 Camera(int cam) => new Vec3(X, Y, SyntheticRig.CameraHeight) + SyntheticRig.CameraOffsets[cam] * Right;

    internal Vec3 Velodyne => new Vec3(X, Y, SyntheticRig.VelodyneHeight) - SyntheticRig.VelodyneBehindCameras * Forward;

    internal Vec3 Imu
    {
        get
        {
            var t = SyntheticRig.ImuInVelodyne;
            return Velodyne + t.X * Forward + t.Y * Left + new Vec3(0, 0, t.Z);
        }
    }
}

/// <summary>
/// The vehicle's trajectory: 0.5 to 1.5 m per frame (10 Hz) with a smooth speed profile, sometimes a stop of a
/// few frames, weaving gently inside the right-hand lane, so the heading changes slowly on top of the road's
/// own curvature.
/// </summary>
internal static class DrivePath
{
    public static VehiclePose[] Generate(ulong seed, int frames, RoadGeometry road, double laneWidth)
    {
        var rng = new SceneRandom(seed ^ 0xD21FE0A7UL);
        double p1 = rng.Uniform(25, 45), p2 = rng.Uniform(9, 17), ph1 = rng.Uniform(0, 6.3), ph2 = rng.Uniform(0, 6.3);
        bool stops = frames >= 20 && rng.Chance(0.5);
        int stopAt = stops ? (int)(frames * rng.Uniform(0.35, 0.65)) : -100;
        double weaveAmp = rng.Uniform(0.15, 0.4), weaveLen = rng.Uniform(40, 90), weavePh = rng.Uniform(0, 6.3);
        double centre = -0.5 * laneWidth;
        var poses = new VehiclePose[frames];
        double s = 0;
        for (int k = 0; k < frames; k++)
        {
            if (k > 0)
            {
                double step = 1.0 + 0.45 * (0.6 * Math.Sin(2 * Math.PI * k / p1 + ph1) + 0.4 * Math.Sin(2 * Math.PI * k / p2 + ph2));
                // a stop: decelerate over three frames, stand still for two, pull away over three
                double gap = Math.Abs(k - stopAt - 0.5) - 1.0;
                step *= Math.Clamp(gap / 3.0, 0, 1);
                s += step;
            }
            double d = centre + weaveAmp * Math.Sin(2 * Math.PI * s / weaveLen + weavePh);
            double dd = weaveAmp * 2 * Math.PI / weaveLen * Math.Cos(2 * Math.PI * s / weaveLen + weavePh);
            // lateral slope per metre actually travelled: the offset lane is shorter/longer by (1 - d/rho)
            double heading = road.Heading(s) + Math.Atan(dd / (1 - d / road.SignedRadius));
            var (x, y) = road.Point(s, d);
            poses[k] = new VehiclePose(x, y, heading, s, d);
        }
        return poses;
    }
}

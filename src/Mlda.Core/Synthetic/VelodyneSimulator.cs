namespace Mlda.Core.Synthetic;

/// <summary>
/// An HDL-64E-like scan cast against the same scene as the cameras: 64 beams from +2 to -24.9 degrees (the upper
/// block of 32 at 1/3 degree spacing down to -8.33, the lower block of 32 down to -24.9), 2000 azimuth steps over
/// a full turn starting behind the vehicle, returns up to 120 m, no returns from the sky. Points are exact
/// (no range noise) and the scan is instantaneous at the frame's pose. Output is KITTI's: float32 x forward,
/// y left, z up (Velodyne frame), reflectance in [0, 1] from the surface albedo and incidence.
/// </summary>
internal sealed class VelodyneSimulator
{
    public const int Beams = 64;
    public const int AzimuthSteps = 2000;
    public const double MaxRange = 120.0;
    const double MinRange = 0.9;
    const double AngularStep = 2 * Math.PI / AzimuthSteps;

    static readonly double[] Elevations = BuildElevations();

    readonly SceneRayCaster _caster;
    readonly SurfaceShader _shader;

    public VelodyneSimulator(SceneRayCaster caster, SurfaceShader shader)
    {
        _caster = caster;
        _shader = shader;
    }

    static double[] BuildElevations()
    {
        var e = new double[Beams];
        for (int i = 0; i < 32; i++) e[i] = 2.0 - i * (10.33 / 31);
        for (int i = 0; i < 32; i++) e[32 + i] = -8.83 - i * ((24.9 - 8.83) / 31);
        return e.Select(x => x * Math.PI / 180).ToArray();
    }

    /// <summary>The scan as KITTI's .bin content: N x 4 float32.</summary>
    public float[] Scan(VehiclePose pose, ParallelOptions parallel)
    {
        var origin = pose.Velodyne;
        Vec3 fwd = pose.Forward, left = pose.Left, up = new(0, 0, 1);
        var slots = new float[AzimuthSteps * Beams * 4];
        var valid = new bool[AzimuthSteps * Beams];
        Parallel.For(0, AzimuthSteps, parallel, a =>
        {
            // the real sensor's scans start and end facing backwards
            double az = Math.PI - a * AngularStep;
            double ca = Math.Cos(az), sa = Math.Sin(az);
            for (int b = 0; b < Beams; b++)
            {
                double ce = Math.Cos(Elevations[b]), se = Math.Sin(Elevations[b]);
                double lx = ce * ca, ly = ce * sa, lz = se;
                var dir = lx * fwd + ly * left + lz * up;
                if (!_caster.Trace(origin, dir, out var hit) || hit.T > MaxRange || hit.T < MinRange) continue;
                var albedo = _shader.Albedo(hit, hit.T * AngularStep);
                double incidence = Math.Abs(hit.N.Dot(dir));
                int k = a * Beams + b;
                slots[4 * k] = (float)(hit.T * lx);
                slots[4 * k + 1] = (float)(hit.T * ly);
                slots[4 * k + 2] = (float)(hit.T * lz);
                slots[4 * k + 3] = (float)Math.Clamp(albedo.Luma * (0.35 + 0.65 * incidence), 0, 1);
                valid[k] = true;
            }
        });
        int n = valid.Count(v => v);
        var points = new float[n * 4];
        for (int k = 0, j = 0; k < valid.Length; k++)
        {
            if (!valid[k]) continue;
            Array.Copy(slots, 4 * k, points, 4 * j, 4);
            j++;
        }
        return points;
    }
}

using System.Globalization;
using System.Text;

namespace Mlda.Core.Synthetic;

/// <summary>
/// GPS/IMU records consistent with the trajectory. Positions go through the inverse of the Mercator projection
/// that pykitti and the devkit use to turn oxts into poses (<c>scale = cos(lat0)</c>,
/// <c>x = scale * lon * pi * r / 180</c>, <c>y = scale * r * ln(tan((90 + lat) * pi / 360))</c>, r = 6378137),
/// anchored so that frame 0's IMU is exactly at (lat0, lon0); pykitti's poses then equal the synthetic world up to
/// a translation. Yaw is the heading (0 = east, counter-clockwise), roll and pitch are 0 (the road is flat);
/// velocities, accelerations and yaw rate are central differences of the 10 Hz trajectory.
/// </summary>
internal static class OxtsSynthesizer
{
    public const double EarthRadius = 6378137.0;
    const double Dt = 0.1, Gravity = 9.80665;

    public static string[] Lines(IReadOnlyList<VehiclePose> poses, double lat0, double lon0, double alt0)
    {
        int n = poses.Count;
        var imu = poses.Select(p => p.Imu).ToArray();
        double scale = Math.Cos(lat0 * Math.PI / 180);
        double mx0 = scale * lon0 * Math.PI * EarthRadius / 180;
        double my0 = scale * EarthRadius * Math.Log(Math.Tan((90 + lat0) * Math.PI / 360));
        var lines = new string[n];
        for (int k = 0; k < n; k++)
        {
            var p = poses[k];
            double mx = mx0 + imu[k].X - imu[0].X, my = my0 + imu[k].Y - imu[0].Y;
            double lon = mx * 180 / (Math.PI * EarthRadius * scale);
            double lat = 360 / Math.PI * Math.Atan(Math.Exp(my / (EarthRadius * scale))) - 90;
            double alt = alt0 + imu[k].Z;
            int a = Math.Max(0, k - 1), b = Math.Min(n - 1, k + 1);
            double span = (b - a) * Dt;
            var v = span > 0 ? (1.0 / span) * (imu[b] - imu[a]) : new Vec3(0, 0, 0);
            int c = Math.Clamp(k, 1, Math.Max(1, n - 2));
            var acc = n >= 3 ? (1.0 / (Dt * Dt)) * (imu[c + 1] - 2.0 * imu[c] + imu[c - 1]) : new Vec3(0, 0, 0);
            double yawRate = span > 0 ? Math.IEEERemainder(poses[b].Heading - poses[a].Heading, 2 * Math.PI) / span : 0;
            var f = p.Forward;
            var l = p.Left;
            double vf = v.Dot(f), vl = v.Dot(l), af = acc.Dot(f), al = acc.Dot(l);
            double[] values =
            {
                lat, lon, alt, 0, 0, Math.IEEERemainder(p.Heading, 2 * Math.PI),
                v.Y, v.X, vf, vl, 0,
                af, al, Gravity, af, al, Gravity,
                0, 0, yawRate, 0, 0, yawRate,
                0.05, 0.02, 4, 9, 6, 6, 0,
            };
            lines[k] = Format(values);
        }
        return lines;
    }

    /// <summary>One record as in the real files: space-separated, 14 significant digits (Matlab's num2str), LF.</summary>
    static string Format(double[] values)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < values.Length; i++)
        {
            if (i > 0) sb.Append(' ');
            sb.Append((values[i] + 0.0).ToString("G14", CultureInfo.InvariantCulture).Replace("E", "e"));
        }
        return sb.Append('\n').ToString();
    }

    /// <summary>oxts/dataformat.txt, verbatim from the KITTI raw release (typos included: the second "ay").</summary>
    public const string DataFormat =
        "lat:   latitude of the oxts-unit (deg)\n" +
        "lon:   longitude of the oxts-unit (deg)\n" +
        "alt:   altitude of the oxts-unit (m)\n" +
        "roll:  roll angle (rad),    0 = level, positive = left side up,      range: -pi   .. +pi\n" +
        "pitch: pitch angle (rad),   0 = level, positive = front down,        range: -pi/2 .. +pi/2\n" +
        "yaw:   heading (rad),       0 = east,  positive = counter clockwise, range: -pi   .. +pi\n" +
        "vn:    velocity towards north (m/s)\n" +
        "ve:    velocity towards east (m/s)\n" +
        "vf:    forward velocity, i.e. parallel to earth-surface (m/s)\n" +
        "vl:    leftward velocity, i.e. parallel to earth-surface (m/s)\n" +
        "vu:    upward velocity, i.e. perpendicular to earth-surface (m/s)\n" +
        "ax:    acceleration in x, i.e. in direction of vehicle front (m/s^2)\n" +
        "ay:    acceleration in y, i.e. in direction of vehicle left (m/s^2)\n" +
        "ay:    acceleration in z, i.e. in direction of vehicle top (m/s^2)\n" +
        "af:    forward acceleration (m/s^2)\n" +
        "al:    leftward acceleration (m/s^2)\n" +
        "au:    upward acceleration (m/s^2)\n" +
        "wx:    angular rate around x (rad/s)\n" +
        "wy:    angular rate around y (rad/s)\n" +
        "wz:    angular rate around z (rad/s)\n" +
        "wf:    angular rate around forward axis (rad/s)\n" +
        "wl:    angular rate around leftward axis (rad/s)\n" +
        "wu:    angular rate around upward axis (rad/s)\n" +
        "pos_accuracy:  velocity accuracy (north/east in m)\n" +
        "vel_accuracy:  velocity accuracy (north/east in m/s)\n" +
        "navstat:       navigation status (see navstat_to_string)\n" +
        "numsats:       number of satellites tracked by primary GPS receiver\n" +
        "posmode:       position mode of primary GPS receiver (see gps_mode_to_string)\n" +
        "velmode:       velocity mode of primary GPS receiver (see gps_mode_to_string)\n" +
        "orimode:       orientation mode of primary GPS receiver (see gps_mode_to_string)\n";
}

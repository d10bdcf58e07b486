using System.Globalization;
using System.Text;

namespace Mlda.Core.Synthetic;

/// <summary>
/// The synthetic sensor rig, laid out like KITTI's (DEVKIT; values of the 2011_09_26 calibration rounded):
/// four rectified cameras on one line (cam0 grey left at the rig origin, cam1 grey right 0.54 m to its right,
/// cam2 colour left 0.06 m to the left of cam0, cam3 colour right 0.54 m to the right of cam2), 1.65 m above the
/// road and looking level; an HDL-64E 1.73 m above the road and 0.27 m behind the cameras; the GPS/IMU 0.81 m
/// behind, 0.32 m left of and 0.80 m below the Velodyne. Intrinsics are KITTI's (fx = 721.5377 at 1242 px),
/// scaled with the width, unless <paramref name="Focal"/> names another focal length in pixels (another camera,
/// e.g. for scene folders); pixels are square.
/// </summary>
public sealed record SyntheticRig(int Width, int Height, double? Focal = null)
{
    public const double ReferenceFocal = 721.5377, ReferenceCx = 609.5593, ReferenceCy = 172.854;
    public const int ReferenceWidth = 1242, ReferenceHeight = 375;
    public const double CameraHeight = 1.65, VelodyneHeight = 1.73, VelodyneBehindCameras = 0.27;
    public const double StereoBaseline = 0.54;

    /// <summary>Offset of camera 0..3 along the rig's x axis (metres to the right of cam0).</summary>
    public static IReadOnlyList<double> CameraOffsets { get; } = new[] { 0.0, StereoBaseline, -0.06, -0.06 + StereoBaseline };

    /// <summary>IMU origin in Velodyne coordinates (calib_imu_to_velo T; R is identity, as KITTI's nearly is).</summary>
    public static readonly (double X, double Y, double Z) ImuInVelodyne = (-0.81, 0.32, -0.80);

    public double Fx => Focal ?? ReferenceFocal * Width / ReferenceWidth;
    public double Fy => Fx;
    public double Cx => ReferenceCx * Width / ReferenceWidth;
    public double Cy => ReferenceCy * Height / ReferenceHeight;

    /// <summary>Velodyne origin in cam0 coordinates (x right, y down, z forward): calib_velo_to_cam T.</summary>
    public static (double X, double Y, double Z) VelodyneInCam0 => (0, -(VelodyneHeight - CameraHeight), -VelodyneBehindCameras);

    /// <summary>P_rect_0c: K [I | t] with t = (-fx * offset, 0, 0), the rectified projection of camera c.</summary>
    public double[] ProjectionMatrix(int cam) =>
        new[] { Fx, 0, Cx, -Fx * CameraOffsets[cam], 0, Fy, Cy, 0, 0, 0, 1, 0 };

    public string CalibCamToCam()
    {
        var sb = new StringBuilder();
        sb.Append("calib_time: 01-Jun-2024 12:00:00\n");
        Line(sb, "corner_dist", 9.95e-2);
        double[] identity = { 1, 0, 0, 0, 1, 0, 0, 0, 1 };
        double[] k = { Fx, 0, Cx, 0, Fy, Cy, 0, 0, 1 };
        for (int c = 0; c < 4; c++)
        {
            // the synthetic cameras are born rectified: raw size = rectified size, no distortion
            Line(sb, $"S_{c:00}", Width, Height);
            Line(sb, $"K_{c:00}", k);
            Line(sb, $"D_{c:00}", 0, 0, 0, 0, 0);
            Line(sb, $"R_{c:00}", identity);
            // T_xx maps cam0 coordinates into camera xx (X_xx = R X_0 + T): minus the camera's position
            Line(sb, $"T_{c:00}", -CameraOffsets[c], 0, 0);
            Line(sb, $"S_rect_{c:00}", Width, Height);
            Line(sb, $"R_rect_{c:00}", identity);
            Line(sb, $"P_rect_{c:00}", ProjectionMatrix(c));
        }
        return sb.ToString();
    }

    public static string CalibVeloToCam()
    {
        var sb = new StringBuilder();
        sb.Append("calib_time: 01-Jun-2024 12:00:00\n");
        // velo x forward, y left, z up -> cam x right (= -y), y down (= -z), z forward (= x)
        Line(sb, "R", 0, -1, 0, 0, 0, -1, 1, 0, 0);
        var t = VelodyneInCam0;
        Line(sb, "T", t.X, t.Y, t.Z);
        Line(sb, "delta_f", 0, 0);
        Line(sb, "delta_c", 0, 0);
        return sb.ToString();
    }

    public static string CalibImuToVelo()
    {
        var sb = new StringBuilder();
        sb.Append("calib_time: 01-Jun-2024 12:00:00\n");
        Line(sb, "R", 1, 0, 0, 0, 1, 0, 0, 0, 1);
        Line(sb, "T", ImuInVelodyne.X, ImuInVelodyne.Y, ImuInVelodyne.Z);
        return sb.ToString();
    }

    static void Line(StringBuilder sb, string key, params double[] values)
    {
        sb.Append(key).Append(':');
        foreach (var v in values) sb.Append(' ').Append(FormatE(v));
        sb.Append('\n');
    }

    /// <summary>C's "%e" (six decimals, two-digit exponent), as in the KITTI calibration files.</summary>
    public static string FormatE(double v) => (v + 0.0).ToString("0.000000e+00", CultureInfo.InvariantCulture);
}

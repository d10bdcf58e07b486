using System.Globalization;

namespace Mlda.Core.Kitti;

/// <summary>
/// One GPS/IMU record (<c>oxts/data/NNNNNNNNNN.txt</c>): 30 space-separated values in the devkit's order. Angles in
/// radians, velocities in m/s, accelerations in m/s², angular rates in rad/s; the last five are integers.
/// </summary>
public sealed record OxtsPacket(
    double Lat, double Lon, double Alt, double Roll, double Pitch, double Yaw,
    double Vn, double Ve, double Vf, double Vl, double Vu,
    double Ax, double Ay, double Az, double Af, double Al, double Au,
    double Wx, double Wy, double Wz, double Wf, double Wl, double Wu,
    double PosAccuracy, double VelAccuracy,
    int NavStat, int NumSats, int PosMode, int VelMode, int OriMode)
{
    public const int ValueCount = 30;

    public static OxtsPacket Read(string path)
    {
        if (!File.Exists(path)) throw new InputException(path, "oxts file not found");
        var lines = File.ReadAllLines(path);
        int lineNo = Array.FindIndex(lines, l => l.Trim().Length > 0);
        if (lineNo < 0) throw new InputException(path, "empty oxts file");
        var t = lines[lineNo].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (t.Length != ValueCount) throw new InputException(path, $"expected {ValueCount} values, got {t.Length}", lineNo + 1);
        var v = new double[ValueCount];
        for (int i = 0; i < ValueCount; i++)
            if (!double.TryParse(t[i], NumberStyles.Float, CultureInfo.InvariantCulture, out v[i]))
                throw new InputException(path, $"value {i + 1} is not a number: '{t[i]}'", lineNo + 1);
        for (int i = 25; i < ValueCount; i++)
            if (v[i] != Math.Floor(v[i])) throw new InputException(path, $"value {i + 1} should be an integer: '{t[i]}'", lineNo + 1);
        return new OxtsPacket(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12], v[13], v[14],
            v[15], v[16], v[17], v[18], v[19], v[20], v[21], v[22], v[23], v[24], (int)v[25], (int)v[26], (int)v[27], (int)v[28], (int)v[29]);
    }
}

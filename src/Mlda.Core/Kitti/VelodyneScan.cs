using System.Runtime.InteropServices;

namespace Mlda.Core.Kitti;

/// <summary>
/// A Velodyne HDL-64E scan (<c>velodyne_points/data/NNNNNNNNNN.bin</c>): little-endian float32, four per point
/// (x forward, y left, z up in metres; reflectance 0..1), N = file size / 16.
/// </summary>
public static class VelodyneScan
{
    public const int FloatsPerPoint = 4;
    public const int BytesPerPoint = 16;

    /// <summary>The raw values, N*4 floats (x, y, z, reflectance per point). A missing, empty or truncated file is an InputException.</summary>
    public static float[] Read(string path)
    {
        if (!File.Exists(path)) throw new InputException(path, "Velodyne scan not found");
        var bytes = File.ReadAllBytes(path);
        // An empty scan would give an all-zero ground truth and a table of nan.
        if (bytes.Length == 0) throw new InputException(path, "empty Velodyne scan (0 bytes)");
        if (bytes.Length % BytesPerPoint != 0)
            throw new InputException(path, $"truncated Velodyne scan: {bytes.Length} bytes is not a multiple of {BytesPerPoint} (4 float32 per point)");
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("big-endian host");
        return MemoryMarshal.Cast<byte, float>(bytes).ToArray();
    }

    public static int PointCount(float[] points) => points.Length / FloatsPerPoint;
}

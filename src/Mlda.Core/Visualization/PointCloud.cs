using System.Text;
using Mlda.Core.Imaging;
using Mlda.Core.IO;
using OpenCvSharp;

namespace Mlda.Core.Visualization;

/// <summary>One coloured 3-D point in the camera frame (x right, y down, z forward), in the depth's units.</summary>
public readonly record struct ColouredPoint(float X, float Y, float Z, byte R, byte G, byte B);

/// <summary>
/// Coloured point clouds from a depth map: every pixel (u, v) with a valid depth z becomes
/// ((u − cx)·z/fx, (v − cy)·z/fy, z), coloured by the input pixel. Written as binary little-endian PLY
/// (x, y, z float; red, green, blue uchar), which MeshLab, CloudCompare and Open3D read.
/// </summary>
public static class PointCloud
{
    /// <summary>Back-projects <paramref name="depth"/>; pixels with depth ≤ 0, non-finite or above <paramref name="maxDepth"/> are skipped; <paramref name="stride"/> subsamples.</summary>
    public static List<ColouredPoint> FromDepth(FloatMap depth, Mat bgr, CameraIntrinsics k, double maxDepth = double.PositiveInfinity, int stride = 1)
    {
        if (bgr.Rows != depth.Height || bgr.Cols != depth.Width)
            throw new ArgumentException($"image {bgr.Cols}x{bgr.Rows} but depth {depth.Width}x{depth.Height}");
        if (stride < 1) throw new ArgumentOutOfRangeException(nameof(stride));
        var colours = MatBuffers.Bytes(bgr);
        var points = new List<ColouredPoint>(depth.Height * depth.Width / (stride * stride));
        for (int v = 0; v < depth.Height; v += stride)
        for (int u = 0; u < depth.Width; u += stride)
        {
            float z = depth[v, u];
            if (!float.IsFinite(z) || z <= 0 || z > maxDepth) continue;
            int i = 3 * (v * depth.Width + u);
            points.Add(new ColouredPoint((float)((u - k.Cx) * z / k.Fx), (float)((v - k.Cy) * z / k.Fy), z, colours[i + 2], colours[i + 1], colours[i]));
        }
        return points;
    }

    public static void WritePly(string path, IReadOnlyList<ColouredPoint> points) => AtomicFile.WriteStream(path, s => WritePly(s, points));

    public static void WritePly(Stream s, IReadOnlyList<ColouredPoint> points)
    {
        var header = "ply\nformat binary_little_endian 1.0\ncomment MLDA-Net depth prediction\n" +
                     $"element vertex {points.Count}\nproperty float x\nproperty float y\nproperty float z\n" +
                     "property uchar red\nproperty uchar green\nproperty uchar blue\nend_header\n";
        s.Write(Encoding.ASCII.GetBytes(header));
        using var w = new BinaryWriter(s, Encoding.ASCII, leaveOpen: true);
        foreach (var p in points)
        {
            w.Write(p.X); w.Write(p.Y); w.Write(p.Z);
            w.Write(p.R); w.Write(p.G); w.Write(p.B);
        }
    }

    /// <summary>Reads a PLY written by <see cref="WritePly(string, IReadOnlyList{ColouredPoint})"/> (binary little endian, xyz float + rgb uchar).</summary>
    public static List<ColouredPoint> ReadPly(string path)
    {
        using var s = File.OpenRead(path);
        var lines = new List<string>();
        var line = new StringBuilder();
        while (true)
        {
            int b = s.ReadByte();
            if (b < 0) throw new InputException(path, "PLY header has no end_header");
            if (b == '\n')
            {
                var l = line.ToString();
                lines.Add(l);
                line.Clear();
                if (l == "end_header") break;
            }
            else line.Append((char)b);
        }
        if (lines[0] != "ply" || !lines.Contains("format binary_little_endian 1.0"))
            throw new InputException(path, "not a binary little-endian PLY");
        var vertex = lines.FirstOrDefault(l => l.StartsWith("element vertex ", StringComparison.Ordinal))
                     ?? throw new InputException(path, "PLY has no vertex element");
        int count = int.Parse(vertex["element vertex ".Length..], System.Globalization.CultureInfo.InvariantCulture);
        using var r = new BinaryReader(s);
        var points = new List<ColouredPoint>(count);
        try
        {
            for (int i = 0; i < count; i++)
                points.Add(new ColouredPoint(r.ReadSingle(), r.ReadSingle(), r.ReadSingle(), r.ReadByte(), r.ReadByte(), r.ReadByte()));
        }
        catch (EndOfStreamException)
        {
            throw new InputException(path, $"PLY ends after {points.Count} of {count} vertices");
        }
        return points;
    }
}

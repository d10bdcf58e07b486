using Mlda.Core.Imaging;
using Mlda.Core.IO;
using OpenCvSharp;

namespace Mlda.Core.Visualization;

/// <summary>
/// 16-bit PNG depth in the KITTI depth benchmark convention: value = round(depth·256), 0 = no depth, so the
/// largest representable depth is 255.996 m and the step 1/256 m (3.9 mm).
/// </summary>
public static class DepthPng
{
    public const double Scale = 256.0;

    public static void Write(string path, FloatMap depth) => AtomicFile.WriteAllBytes(path, Encode(depth));

    /// <summary>The PNG file's bytes.</summary>
    public static byte[] Encode(FloatMap depth)
    {
        var values = new ushort[depth.Values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            float d = depth.Values[i];
            values[i] = float.IsFinite(d) && d > 0 ? (ushort)Math.Clamp(Math.Round(d * Scale), 1, ushort.MaxValue) : (ushort)0;
        }
        using var mat = MatBuffers.FromUInt16(values, depth.Height, depth.Width);
        if (!Cv2.ImEncode(".png", mat, out var bytes)) throw new IOException("OpenCV could not encode the 16-bit PNG");
        return bytes;
    }

    /// <summary>Reads a KITTI-convention 16-bit PNG back to depth in metres (0 = no depth).</summary>
    public static FloatMap Read(string path)
    {
        using var mat = Cv2.ImRead(path, ImreadModes.Unchanged);
        if (mat.Empty()) throw new InputException(path, "not a readable PNG");
        if (mat.Type() != MatType.CV_16UC1) throw new InputException(path, $"expected a 16-bit single-channel PNG, got {mat.Type()}");
        var values = MatBuffers.UInt16(mat);
        var map = new FloatMap(mat.Rows, mat.Cols);
        for (int i = 0; i < values.Length; i++) map.Values[i] = (float)(values[i] / Scale);
        return map;
    }
}

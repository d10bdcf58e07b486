using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Mlda.Core.Imaging;

namespace Mlda.Core.IO;

/// <summary>
/// numpy's <c>.npy</c> format (NEP 1): magic <c>\x93NUMPY</c>, version, a Python-dict header padded to a multiple
/// of 64 bytes, then the raw elements. Reads header versions 1, 2 and 3, little- or big-endian, C or Fortran order;
/// writes version 1 (version 2 only when the header needs it), little-endian, C order, atomically.
/// </summary>
public static partial class Npy
{
    static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    // ---------------------------------------------------------------- writing

    /// <summary>A float32 map as a float32 array of shape (H, W).</summary>
    public static void Write(string path, FloatMap map) => Write(path, map.Values, map.Height, map.Width);

    /// <summary>Maps of one size stacked as float32 (N, H, W), e.g. the disparities that <c>mlda eval --disps</c> reads.</summary>
    public static void Write(string path, IReadOnlyList<FloatMap> maps) => Write(path, Stack(maps));

    public static void Write(string path, float[] data, params int[] shape) => Write(path, NpyArray.FromFloat32(data, shape));
    public static void Write(string path, double[] data, params int[] shape) => Write(path, NpyArray.FromFloat64(data, shape));
    public static void Write(string path, byte[] data, params int[] shape) => Write(path, NpyArray.FromUInt8(data, shape));
    public static void Write(string path, ushort[] data, params int[] shape) => Write(path, NpyArray.FromUInt16(data, shape));
    public static void Write(string path, int[] data, params int[] shape) => Write(path, NpyArray.FromInt32(data, shape));
    public static void Write(string path, long[] data, params int[] shape) => Write(path, NpyArray.FromInt64(data, shape));

    /// <summary>Writes through a temporary sibling, so the final name only ever holds a complete file.</summary>
    public static void Write(string path, NpyArray array) => AtomicFile.WriteStream(path, s => WriteTo(s, array));

    public static void WriteTo(Stream stream, NpyArray array)
    {
        var shape = array.Shape.Length switch
        {
            0 => "()",
            1 => $"({array.Shape[0]},)",
            _ => "(" + string.Join(", ", array.Shape) + ")",
        };
        var dict = $"{{'descr': '{array.Dtype}', 'fortran_order': False, 'shape': {shape}, }}";
        // numpy pads with spaces so that magic + version + length + header (ending in '\n') is a multiple of 64.
        int version = 1, prefix = 10;
        int total = (prefix + dict.Length + 1 + 63) / 64 * 64;
        if (total - prefix > ushort.MaxValue)
        {
            version = 2; // the header length no longer fits the 16-bit field of version 1
            prefix = 12;
            total = (prefix + dict.Length + 1 + 63) / 64 * 64;
        }
        var header = dict.PadRight(total - prefix - 1) + "\n";
        stream.Write(Magic);
        stream.WriteByte((byte)version);
        stream.WriteByte(0);
        var len = BitConverter.GetBytes(version == 1 ? (uint)(ushort)header.Length : (uint)header.Length);
        stream.Write(len, 0, version == 1 ? 2 : 4);
        stream.Write(Encoding.ASCII.GetBytes(header));
        stream.Write(array.Data);
    }

    public static NpyArray Stack(IReadOnlyList<FloatMap> maps)
    {
        if (maps.Count == 0) throw new ArgumentException("no maps to stack", nameof(maps));
        int h = maps[0].Height, w = maps[0].Width;
        var all = new float[checked((long)maps.Count * h * w)];
        for (int i = 0; i < maps.Count; i++)
        {
            if (maps[i].Height != h || maps[i].Width != w)
                throw new ArgumentException($"map {i} is {maps[i].Height}x{maps[i].Width}, map 0 is {h}x{w}", nameof(maps));
            maps[i].Values.CopyTo(all, (long)i * h * w);
        }
        return NpyArray.FromFloat32(all, maps.Count, h, w);
    }

    // ---------------------------------------------------------------- reading

    /// <summary>Reads any supported <c>.npy</c>; a missing, truncated or malformed file is an <see cref="InputException"/>.</summary>
    public static NpyArray Read(string path)
    {
        if (!File.Exists(path)) throw new InputException(path, "file not found");
        using var s = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return ReadFrom(s, path);
    }

    /// <summary>The shape in a <c>.npy</c> header, without reading the data (a size check before any work).</summary>
    public static int[] ReadShape(string path)
    {
        if (!File.Exists(path)) throw new InputException(path, "file not found");
        using var s = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096);
        return ReadHeader(s, path).Shape;
    }

    static (string Descr, bool Fortran, int[] Shape) ReadHeader(Stream stream, string source)
    {
        var magic = ReadExactly(stream, 8, source, "the .npy magic");
        if (!magic.AsSpan(0, 6).SequenceEqual(Magic)) throw new InputException(source, "not a .npy file (bad magic)");
        int major = magic[6];
        if (major is < 1 or > 3) throw new InputException(source, $"unsupported .npy version {major}.{magic[7]}");
        var lenBytes = ReadExactly(stream, major == 1 ? 2 : 4, source, "the header length");
        long headerLen = major == 1 ? BitConverter.ToUInt16(lenBytes) : BitConverter.ToUInt32(lenBytes);
        if (headerLen > 1 << 24) throw new InputException(source, $"implausible header length {headerLen}");
        var headerBytes = ReadExactly(stream, (int)headerLen, source, "the header");
        var header = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(headerBytes);
        return ParseHeader(header, source);
    }

    /// <summary>Reads one array from <paramref name="stream"/>; <paramref name="source"/> names it in errors.</summary>
    public static NpyArray ReadFrom(Stream stream, string source)
    {
        var (descr, fortran, shape) = ReadHeader(stream, source);

        if (descr.EndsWith('O'))
            throw new InputException(source, "object (pickled) array: numpy needs allow_pickle=True for it and C# cannot read it; save a numeric array instead");
        bool bigEndian = descr.StartsWith('>') && !descr.EndsWith("1");
        var dtype = NpyArray.Canonical(bigEndian ? "<" + descr[1..] : descr)
                    ?? throw new InputException(source, $"unsupported dtype '{descr}' (supported: {string.Join(", ", NpyArray.SupportedDtypes)})");
        long count = shape.Aggregate(1L, (a, d) => a * d);
        long bytes = count * NpyArray.ElementSize(dtype);
        if (bytes > int.MaxValue) throw new InputException(source, $"array of {bytes} bytes is too large");
        var data = ReadExactly(stream, (int)bytes, source, $"{count} elements of shape ({string.Join(",", shape)})");
        if (bigEndian) NpyArray.Swap(data, NpyArray.ElementSize(dtype));
        if (fortran && shape.Length > 1) data = FortranToC(data, shape, NpyArray.ElementSize(dtype));
        return new NpyArray(dtype, shape, data);
    }

    /// <summary>A float32 (H, W) array, or (1, H, W) / (H, W, 1), as a map; anything else is an <see cref="InputException"/>.</summary>
    public static FloatMap ReadFloatMap(string path)
    {
        var a = Read(path);
        RequireFloat32(a, path);
        var s = a.Shape.Where(d => d != 1).ToArray();
        if (a.Shape.Length is < 2 or > 3 || s.Length > 2 || a.Shape.Length == 3 && a.Shape[0] != 1 && a.Shape[2] != 1)
            throw new InputException(path, $"expected a float32 (H, W) array, got shape ({string.Join(", ", a.Shape)})");
        int h = a.Shape.Length == 3 && a.Shape[0] == 1 ? a.Shape[1] : a.Shape[0];
        int w = a.Shape.Length == 3 && a.Shape[0] == 1 ? a.Shape[2] : a.Shape[1];
        if (h == 0 || w == 0) throw new InputException(path, "empty array");
        return new FloatMap(h, w, a.ToFloat32());
    }

    /// <summary>A float32 (N, H, W) array as N maps (a 2-D array is one map).</summary>
    public static IReadOnlyList<FloatMap> ReadFloatMaps(string path)
    {
        var a = Read(path);
        return ToFloatMaps(a, path);
    }

    public static IReadOnlyList<FloatMap> ToFloatMaps(NpyArray a, string source)
    {
        RequireFloat32(a, source);
        if (a.Shape.Length == 2) a = new NpyArray(a.Dtype, [1, a.Shape[0], a.Shape[1]], a.Data);
        if (a.Shape.Length == 4 && a.Shape[1] == 1) a = new NpyArray(a.Dtype, [a.Shape[0], a.Shape[2], a.Shape[3]], a.Data);
        if (a.Shape.Length != 3 || a.Shape.Any(d => d == 0))
            throw new InputException(source, $"expected a float32 (N, H, W) array, got shape ({string.Join(", ", a.Shape)})");
        var all = a.ToFloat32();
        int n = a.Shape[0], h = a.Shape[1], w = a.Shape[2];
        var maps = new FloatMap[n];
        for (int i = 0; i < n; i++) maps[i] = new FloatMap(h, w, all.AsSpan(i * h * w, h * w).ToArray());
        return maps;
    }

    static void RequireFloat32(NpyArray a, string source)
    {
        if (a.Dtype != "<f4") throw new InputException(source, $"expected float32 ('<f4'), got '{a.Dtype}'");
    }

    static byte[] ReadExactly(Stream s, int n, string source, string what)
    {
        var buf = new byte[n];
        int got = 0;
        while (got < n)
        {
            int r = s.Read(buf, got, n - got);
            if (r == 0) throw new InputException(source, $"truncated: file ends inside {what} ({got} of {n} bytes)");
            got += r;
        }
        return buf;
    }

    [GeneratedRegex(@"'descr'\s*:\s*'([^']*)'")] private static partial Regex DescrRegex();
    [GeneratedRegex(@"'fortran_order'\s*:\s*(True|False)")] private static partial Regex FortranRegex();
    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")] private static partial Regex ShapeRegex();

    static (string Descr, bool Fortran, int[] Shape) ParseHeader(string header, string source)
    {
        var d = DescrRegex().Match(header);
        var f = FortranRegex().Match(header);
        var s = ShapeRegex().Match(header);
        if (!d.Success || !f.Success || !s.Success)
            throw new InputException(source, $"malformed .npy header (structured dtypes are not supported): {header.Trim()}");
        var dims = new List<int>();
        foreach (var tok in s.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!int.TryParse(tok.TrimEnd('L'), NumberStyles.None, CultureInfo.InvariantCulture, out var v))
                throw new InputException(source, $"malformed shape in .npy header: ({s.Groups[1].Value})");
            dims.Add(v);
        }
        return (d.Groups[1].Value, f.Groups[1].Value == "True", dims.ToArray());
    }

    /// <summary>Reorders Fortran (column-major) element bytes into C order.</summary>
    static byte[] FortranToC(byte[] src, int[] shape, int size)
    {
        int rank = shape.Length;
        var fstride = new long[rank];
        fstride[0] = 1;
        for (int k = 1; k < rank; k++) fstride[k] = fstride[k - 1] * shape[k - 1];
        var dst = new byte[src.Length];
        var idx = new int[rank];
        long count = src.Length / size;
        for (long c = 0; c < count; c++)
        {
            long f = 0;
            for (int k = 0; k < rank; k++) f += idx[k] * fstride[k];
            Buffer.BlockCopy(src, (int)(f * size), dst, (int)(c * size), size);
            for (int k = rank - 1; k >= 0; k--)
            {
                if (++idx[k] < shape[k]) break;
                idx[k] = 0;
            }
        }
        return dst;
    }
}

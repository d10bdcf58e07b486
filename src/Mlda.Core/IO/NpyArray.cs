using System.Runtime.InteropServices;

namespace Mlda.Core.IO;

/// <summary>
/// An n-dimensional array as stored in a <c>.npy</c> file: a numpy dtype string, a shape and the element bytes in
/// C (row-major) order, little-endian. <see cref="Npy"/> reads and writes it; the typed accessors convert.
/// </summary>
public sealed class NpyArray
{
    /// <summary>The dtypes this project exchanges with numpy: float32, float64, uint8, uint16, int32, int64.</summary>
    public static IReadOnlyList<string> SupportedDtypes { get; } = ["<f4", "<f8", "|u1", "<u2", "<i4", "<i8"];

    public int[] Shape { get; }

    /// <summary>The numpy dtype in its canonical little-endian form: '&lt;f4', '&lt;f8', '|u1', '&lt;u2', '&lt;i4' or '&lt;i8'.</summary>
    public string Dtype { get; }

    /// <summary>The raw element bytes, little-endian, C order.</summary>
    public byte[] Data { get; }

    public NpyArray(string dtype, int[] shape, byte[] data)
    {
        Dtype = Canonical(dtype) ?? throw new ArgumentException($"unsupported dtype '{dtype}'", nameof(dtype));
        Shape = (int[])shape.Clone();
        if (Shape.Any(d => d < 0)) throw new ArgumentException("negative dimension", nameof(shape));
        long need = Count * ElementSize(Dtype);
        if (data.LongLength != need) throw new ArgumentException($"{data.LongLength} bytes for shape ({string.Join(",", Shape)}) of {Dtype}", nameof(data));
        Data = data;
    }

    /// <summary>Number of elements (the product of the shape; 1 for a 0-d array).</summary>
    public long Count => Shape.Aggregate(1L, (a, d) => a * d);

    public int ElementSize() => ElementSize(Dtype);

    public static int ElementSize(string dtype) => dtype[^1] - '0';

    /// <summary>'&lt;f4', '=f4', 'f4', 'float32', '|u1', 'u1', 'uint8' ... → canonical form; null when unsupported.</summary>
    public static string? Canonical(string dtype)
    {
        var d = dtype.Trim();
        d = d switch
        {
            "float32" => "<f4", "float64" => "<f8", "uint8" => "|u1", "uint16" => "<u2", "int32" => "<i4", "int64" => "<i8",
            _ => d,
        };
        if (d.Length == 2) d = (d[1] == '1' ? "|" : "<") + d;
        if (d.Length != 3) return null;
        char order = d[0];
        string kind = d[1..];
        if (kind == "u1") return order is '|' or '<' or '=' or '>' ? "|u1" : null;
        if (order is not ('<' or '=' or '|')) return null; // '>' (big-endian) is byte-swapped by the reader before it gets here
        var c = "<" + kind;
        return SupportedDtypes.Contains(c) ? c : null;
    }

    public static NpyArray FromFloat32(float[] data, params int[] shape) => From("<f4", data, shape);
    public static NpyArray FromFloat64(double[] data, params int[] shape) => From("<f8", data, shape);
    public static NpyArray FromUInt8(byte[] data, params int[] shape) => From("|u1", data, shape);
    public static NpyArray FromUInt16(ushort[] data, params int[] shape) => From("<u2", data, shape);
    public static NpyArray FromInt32(int[] data, params int[] shape) => From("<i4", data, shape);
    public static NpyArray FromInt64(long[] data, params int[] shape) => From("<i8", data, shape);

    static NpyArray From<T>(string dtype, T[] data, int[] shape) where T : unmanaged
    {
        if (shape.Length == 0 && data.Length != 1) shape = [data.Length];
        long count = shape.Aggregate(1L, (a, d) => a * d);
        if (count != data.Length)
            throw new ArgumentException($"{data.Length} values for shape ({string.Join(",", shape)})", nameof(data));
        var bytes = MemoryMarshal.AsBytes(data.AsSpan()).ToArray();
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("big-endian host");
        return new NpyArray(dtype, shape, bytes);
    }

    /// <summary>The values as float32; float64 and integers are converted (float64 rounds to nearest like numpy's astype).</summary>
    public float[] ToFloat32()
    {
        if (Dtype == "<f4") return MemoryMarshal.Cast<byte, float>(Data).ToArray();
        var d = ToFloat64();
        var f = new float[d.Length];
        for (int i = 0; i < d.Length; i++) f[i] = (float)d[i];
        return f;
    }

    /// <summary>The values as float64 (exact for every supported dtype except int64 beyond 2^53).</summary>
    public double[] ToFloat64()
    {
        var src = Data.AsSpan();
        var n = checked((int)Count);
        var r = new double[n];
        switch (Dtype)
        {
            case "<f4": { var s = MemoryMarshal.Cast<byte, float>(src); for (int i = 0; i < n; i++) r[i] = s[i]; break; }
            case "<f8": MemoryMarshal.Cast<byte, double>(src).CopyTo(r); break;
            case "|u1": for (int i = 0; i < n; i++) r[i] = src[i]; break;
            case "<u2": { var s = MemoryMarshal.Cast<byte, ushort>(src); for (int i = 0; i < n; i++) r[i] = s[i]; break; }
            case "<i4": { var s = MemoryMarshal.Cast<byte, int>(src); for (int i = 0; i < n; i++) r[i] = s[i]; break; }
            case "<i8": { var s = MemoryMarshal.Cast<byte, long>(src); for (int i = 0; i < n; i++) r[i] = s[i]; break; }
            default: throw new InvalidOperationException(Dtype);
        }
        return r;
    }

    public byte[] ToUInt8() => Typed<byte>("|u1");
    public ushort[] ToUInt16() => Typed<ushort>("<u2");
    public int[] ToInt32() => Typed<int>("<i4");

    /// <summary>The values as int64; int32/uint16/uint8 widen, other dtypes are refused.</summary>
    public long[] ToInt64()
    {
        return Dtype switch
        {
            "<i8" => MemoryMarshal.Cast<byte, long>(Data).ToArray(),
            "<i4" => MemoryMarshal.Cast<byte, int>(Data).ToArray().Select(v => (long)v).ToArray(),
            "<u2" => MemoryMarshal.Cast<byte, ushort>(Data).ToArray().Select(v => (long)v).ToArray(),
            "|u1" => Data.Select(v => (long)v).ToArray(),
            _ => throw new InvalidOperationException($"dtype {Dtype} is not an integer type"),
        };
    }

    T[] Typed<T>(string dtype) where T : unmanaged =>
        Dtype == dtype ? MemoryMarshal.Cast<byte, T>(Data).ToArray()
                       : throw new InvalidOperationException($"array is {Dtype}, not {dtype}");

    internal static void Swap(byte[] data, int elementSize)
    {
        if (elementSize == 1) return;
        for (int i = 0; i < data.Length; i += elementSize) data.AsSpan(i, elementSize).Reverse();
    }

}

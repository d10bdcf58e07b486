using System.Buffers.Binary;
using System.Text;

namespace Mlda.Core.IO;

/// <summary>A pickled tuple (kept apart from lists so that a dict of arrays cannot be confused with other data).</summary>
public sealed record PickleTuple(object?[] Items);

/// <summary>
/// A restricted unpickler for what <c>paddle.save</c> (Paddle 2.2, <c>framework/io.py _pickle_save</c>, protocol 2 to
/// 4) writes for a state dict: dicts with string keys, numpy arrays and the few objects numpy's own pickling uses
/// (<c>numpy.core.multiarray._reconstruct</c> or numpy 2's <c>numpy._core.multiarray._reconstruct</c>,
/// <c>numpy.ndarray</c>, <c>numpy.dtype</c>, and <c>_codecs.encode</c>, which protocol 2 uses for bytes). Nothing
/// is ever called or imported: the six globals are recognised by name and built here, and any other global, opcode
/// or malformed stream is an <see cref="InputException"/> naming the file.
/// </summary>
public static class NumpyPickle
{
    static readonly HashSet<(string, string)> Allowed =
    [
        ("numpy.core.multiarray", "_reconstruct"), ("numpy._core.multiarray", "_reconstruct"),
        ("numpy", "ndarray"), ("numpy", "dtype"), ("_codecs", "encode"),
    ];

    sealed record Global(string Module, string Name);

    /// <summary>A numpy dtype under construction (<c>numpy.dtype('f4', False, True)</c>, then BUILD sets the byte order).</summary>
    sealed class DType(string code)
    {
        public string Code = code;
        public string Order = "|";
    }

    /// <summary>An array under construction (<c>_reconstruct(ndarray, (0,), b'b')</c>, then BUILD sets its state).</summary>
    sealed class PendingArray
    {
        public NpyArray? Array;
    }

    static readonly object Mark = new();

    public static object? Read(string path)
    {
        if (!File.Exists(path)) throw new InputException(path, "missing");
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (IOException e) { throw new InputException(path, $"unreadable: {e.Message}", inner: e); }
        try
        {
            return Load(bytes, path);
        }
        catch (Exception e) when (e is ArgumentException or IndexOutOfRangeException or InvalidCastException or ArgumentOutOfRangeException or OverflowException or DecoderFallbackException)
        {
            throw new InputException(path, $"not a numpy pickle: {e.Message}", inner: e);
        }
    }

    static object? Load(byte[] b, string path)
    {
        var stack = new List<object?>();
        var memo = new Dictionary<long, object?>();
        int p = 0;
        InputException Bad(string why) => new(path, why);
        void Need(long n) { if (n < 0 || p + n > b.Length) throw Bad("truncated pickle"); }
        ReadOnlySpan<byte> Take(long n) { Need(n); var s = b.AsSpan(p, (int)n); p += (int)n; return s; }
        object? Pop() => stack.Count > 0 ? PopAt(stack) : throw Bad("malformed pickle (stack underflow)");
        object? Top() => stack.Count > 0 ? stack[^1] : throw Bad("malformed pickle (empty stack)");
        List<object?> PopMark()
        {
            int m = stack.LastIndexOf(Mark);
            if (m < 0) throw Bad("malformed pickle (no mark)");
            var items = stack.GetRange(m + 1, stack.Count - m - 1);
            stack.RemoveRange(m, stack.Count - m);
            return items;
        }
        string Line()
        {
            int end = Array.IndexOf(b, (byte)'\n', p);
            if (end < 0) throw Bad("truncated pickle");
            var s = Encoding.ASCII.GetString(b, p, end - p);
            p = end + 1;
            return s;
        }
        if (b.Length < 2 || b[0] != 0x80 || b[1] < 2 || b[1] > 5) throw Bad("not a pickle of protocol 2 to 5 (paddle.save writes 2 to 4)");

        while (true)
        {
            Need(1);
            byte op = b[p++];
            switch (op)
            {
                case 0x80: Take(1); break;                                   // PROTO
                case 0x95: Take(8); break;                                   // FRAME (a length hint only)
                case (byte)'.': return stack.Count == 1 ? stack[0] : throw Bad("malformed pickle (stack at STOP)");
                case (byte)'}': stack.Add(new Dictionary<object, object?>()); break;
                case (byte)']': stack.Add(new List<object?>()); break;
                case (byte)')': stack.Add(new PickleTuple([])); break;
                case (byte)'(': stack.Add(Mark); break;
                case (byte)'t': stack.Add(new PickleTuple([.. PopMark()])); break;
                case 0x85: { var a = Pop(); stack.Add(new PickleTuple([a])); break; }
                case 0x86: { var y = Pop(); var x = Pop(); stack.Add(new PickleTuple([x, y])); break; }
                case 0x87: { var z = Pop(); var y = Pop(); var x = Pop(); stack.Add(new PickleTuple([x, y, z])); break; }
                case (byte)'N': stack.Add(null); break;
                case 0x88: stack.Add(true); break;
                case 0x89: stack.Add(false); break;
                case (byte)'K': stack.Add((long)Take(1)[0]); break;
                case (byte)'M': stack.Add((long)BinaryPrimitives.ReadUInt16LittleEndian(Take(2))); break;
                case (byte)'J': stack.Add((long)BinaryPrimitives.ReadInt32LittleEndian(Take(4))); break;
                case 0x8a:                                                   // LONG1
                {
                    int n = Take(1)[0];
                    var v = Take(n);
                    if (n > 8) throw Bad("integer too large");
                    long x = 0;
                    for (int i = n - 1; i >= 0; i--) x = (x << 8) | v[i];
                    if (n > 0 && n < 8 && (v[n - 1] & 0x80) != 0) x -= 1L << (8 * n);
                    stack.Add(x);
                    break;
                }
                case (byte)'G': stack.Add(BinaryPrimitives.ReadDoubleBigEndian(Take(8))); break;
                case (byte)'X': { long n = BinaryPrimitives.ReadUInt32LittleEndian(Take(4)); stack.Add(Encoding.UTF8.GetString(Take(n))); break; }
                case 0x8c: { int n = Take(1)[0]; stack.Add(Encoding.UTF8.GetString(Take(n))); break; }
                case 0x8d: { long n = (long)BinaryPrimitives.ReadUInt64LittleEndian(Take(8)); stack.Add(Encoding.UTF8.GetString(Take(n))); break; }
                case (byte)'U': { int n = Take(1)[0]; stack.Add(Encoding.Latin1.GetString(Take(n))); break; }
                case (byte)'T': { long n = BinaryPrimitives.ReadUInt32LittleEndian(Take(4)); stack.Add(Encoding.Latin1.GetString(Take(n))); break; }
                case (byte)'C': { int n = Take(1)[0]; stack.Add(Take(n).ToArray()); break; }
                case (byte)'B': { long n = BinaryPrimitives.ReadUInt32LittleEndian(Take(4)); stack.Add(Take(n).ToArray()); break; }
                case 0x8e: { long n = (long)BinaryPrimitives.ReadUInt64LittleEndian(Take(8)); stack.Add(Take(n).ToArray()); break; }
                case (byte)'q': memo[Take(1)[0]] = Top(); break;
                case (byte)'r': memo[BinaryPrimitives.ReadUInt32LittleEndian(Take(4))] = Top(); break;
                case 0x94: memo[memo.Count] = Top(); break;                  // MEMOIZE
                case (byte)'h': stack.Add(memo.TryGetValue(Take(1)[0], out var g1) ? g1 : throw Bad("malformed pickle (unknown memo)")); break;
                case (byte)'j': stack.Add(memo.TryGetValue(BinaryPrimitives.ReadUInt32LittleEndian(Take(4)), out var g4) ? g4 : throw Bad("malformed pickle (unknown memo)")); break;
                case (byte)'c': stack.Add(Resolve(Line(), Line(), path)); break;
                case 0x93: { var name = Pop() as string; var module = Pop() as string; stack.Add(Resolve(module ?? "?", name ?? "?", path)); break; }
                case (byte)'s': { var v = Pop(); var k = Pop(); SetItem(Top(), k, v, path); break; }
                case (byte)'u':
                {
                    var items = PopMark();
                    if (items.Count % 2 != 0) throw Bad("malformed pickle (odd SETITEMS)");
                    var d = Top();
                    for (int i = 0; i < items.Count; i += 2) SetItem(d, items[i], items[i + 1], path);
                    break;
                }
                case (byte)'a': { var v = Pop(); (Top() as List<object?> ?? throw Bad("malformed pickle (APPEND to a non-list)")).Add(v); break; }
                case (byte)'e': { var items = PopMark(); (Top() as List<object?> ?? throw Bad("malformed pickle (APPENDS to a non-list)")).AddRange(items); break; }
                case (byte)'R': { var args = Pop() as PickleTuple ?? throw Bad("malformed pickle (REDUCE without a tuple)"); var f = Pop(); stack.Add(Call(f, args.Items, path)); break; }
                case (byte)'b': { var state = Pop(); Build(Top(), state, path); break; }
                case (byte)'0': Pop(); break;                                // POP
                default:
                    throw Bad($"pickle opcode 0x{op:x2} at byte {p - 1} is not one a numpy state dict needs (refused)");
            }
        }
    }

    static object? PopAt(List<object?> stack)
    {
        var v = stack[^1];
        stack.RemoveAt(stack.Count - 1);
        return v;
    }

    static Global Resolve(string module, string name, string path) =>
        Allowed.Contains((module, name)) ? new Global(module, name)
            : throw new InputException(path, $"the pickle asks for {module}.{name}, which a numpy state dict never needs (refused: only numpy arrays and dicts are read)");

    static void SetItem(object? target, object? key, object? value, string path)
    {
        if (target is not Dictionary<object, object?> d) throw new InputException(path, "malformed pickle (SETITEM on a non-dict)");
        d[key ?? throw new InputException(path, "malformed pickle (None key)")] = value;
    }

    static object Call(object? f, object?[] args, string path)
    {
        if (f is not Global g) throw new InputException(path, "malformed pickle (REDUCE of a non-callable)");
        switch (g.Name)
        {
            case "_reconstruct" when args.Length == 3 && args[0] is Global { Name: "ndarray" }:
                return new PendingArray();
            case "dtype" when args.Length >= 1 && args[0] is string code:
                return new DType(code);
            case "encode" when g.Module == "_codecs" && args.Length == 2 && args[0] is string s && args[1] is "latin1" or "latin-1":
                return Encoding.Latin1.GetBytes(s);
            default:
                throw new InputException(path, $"unexpected call of {g.Module}.{g.Name} with {args.Length} arguments (refused)");
        }
    }

    static void Build(object? target, object? state, string path)
    {
        var items = (state as PickleTuple)?.Items ?? throw new InputException(path, "malformed pickle (BUILD without a state tuple)");
        switch (target)
        {
            case DType dt:
                // numpy dtype.__setstate__: (version, byteorder, subarray, names, fields, elsize, alignment, flags)
                if (items.Length < 2 || items[1] is not string order) throw new InputException(path, "malformed numpy dtype state");
                dt.Order = order;
                break;
            case PendingArray a:
                // ndarray.__setstate__: (version, shape, dtype, is_fortran, rawdata)
                if (items.Length != 5 || items[1] is not PickleTuple shape || items[2] is not DType dtype || items[3] is not bool fortran)
                    throw new InputException(path, "malformed numpy array state");
                var dims = shape.Items.Select(d => d is long l && l >= 0 && l <= int.MaxValue ? (int)l : throw new InputException(path, "malformed numpy array shape")).ToArray();
                var data = items[4] as byte[] ?? throw new InputException(path, "numpy array without raw data (object arrays are refused)");
                a.Array = ToArray(dtype, dims, fortran, data, path);
                break;
            default:
                throw new InputException(path, "malformed pickle (BUILD of an unexpected object)");
        }
    }

    static NpyArray ToArray(DType dtype, int[] shape, bool fortran, byte[] data, string path)
    {
        var canonical = NpyArray.Canonical((dtype.Order == ">" ? "<" : "") + dtype.Code)
            ?? throw new InputException(path, $"numpy dtype '{dtype.Order}{dtype.Code}' is not supported");
        int size = NpyArray.ElementSize(canonical);
        long count = shape.Aggregate(1L, (x, d) => x * d);
        if (data.LongLength != count * size)
            throw new InputException(path, $"numpy array of shape ({string.Join(",", shape)}) holds {data.LongLength} bytes, expected {count * size}");
        if (dtype.Order == ">" && size > 1)
            for (long i = 0; i < count; i++) Array.Reverse(data, (int)(i * size), size);
        if (fortran && shape.Length > 1) data = FortranToC(data, shape, size);
        return new NpyArray(canonical, shape, data);
    }

    static byte[] FortranToC(byte[] data, int[] shape, int size)
    {
        var result = new byte[data.Length];
        long count = data.LongLength / size;
        var index = new int[shape.Length];
        for (long c = 0; c < count; c++)
        {
            long f = 0, stride = 1;
            for (int k = 0; k < shape.Length; k++) { f += index[k] * stride; stride *= shape[k]; }
            Buffer.BlockCopy(data, (int)(f * size), result, (int)(c * size), size);
            for (int k = shape.Length - 1; k >= 0; k--) { if (++index[k] < shape[k]) break; index[k] = 0; }
        }
        return result;
    }

    /// <summary>The arrays of an unpickled state dict, and the names of the other (non-array) entries.</summary>
    public static (Dictionary<string, NpyArray> Arrays, List<string> Other) Arrays(object? root, string path)
    {
        if (root is not Dictionary<object, object?> d) throw new InputException(path, "the pickle is not a dict (a state dict is)");
        var arrays = new Dictionary<string, NpyArray>(StringComparer.Ordinal);
        var other = new List<string>();
        foreach (var (k, v) in d)
        {
            if (k is not string name) throw new InputException(path, "a state dict key is not a string");
            if (v is PendingArray { Array: { } a }) arrays[name] = a;
            else other.Add(name);
        }
        return (arrays, other);
    }
}

using System.Text;

namespace Mlda.Tests.Checkpoints;

/// <summary>
/// Writes a state dict the way Paddle 2.2's <c>paddle.save</c> does (<c>framework/io.py _pickle_save</c>): a pickle
/// (protocol 2, or 4, Paddle's default) of a dict name → numpy array, each array pickled by numpy's
/// <c>ndarray.__reduce__</c>: <c>_reconstruct(ndarray, (0,), b'b')</c>, then BUILD with
/// <c>(1, shape, dtype('f4', False, True) + BUILD (3, '&lt;', None, None, None, -1, -1, 0), False, rawdata)</c>. Under
/// protocol 2 Python 3 writes bytes as <c>_codecs.encode(latin-1 text, 'latin1')</c>; memo puts and gets as pickle does.
/// </summary>
public sealed class PdparamsWriter
{
    readonly MemoryStream _body = new();
    readonly int _protocol;
    readonly string _numpyCore;
    readonly Dictionary<string, int> _memo = new();
    int _next;

    PdparamsWriter(int protocol, string numpyCore)
    {
        _protocol = protocol;
        _numpyCore = numpyCore;
    }

    /// <summary>Writes <paramref name="tensors"/> to <paramref name="path"/> as <c>paddle.save</c> pickles a state dict.</summary>
    /// <param name="path">the .pdparams file</param>
    /// <param name="tensors">name, shape and float32 data of each array</param>
    /// <param name="protocol">pickle protocol (Paddle 2.2 writes 2)</param>
    /// <param name="numpyCore">the module that pickles name numpy's reconstructor in (numpy 1.x or 2.x spelling)</param>
    /// <param name="structuredMap">add Paddle's <c>StructuredToParameterName@@</c> table (generated names)</param>
    public static void Write(string path, IReadOnlyList<(string Name, long[] Shape, float[] Data)> tensors, int protocol = 2,
        string numpyCore = "numpy.core.multiarray", bool structuredMap = true)
    {
        var w = new PdparamsWriter(protocol, numpyCore);
        w.Op(0x7d); w.Put(null);                       // EMPTY_DICT
        w.Op((byte)'(');
        foreach (var (name, shape, data) in tensors)
        {
            w.Unicode(name);
            w.Array(shape, data);
        }
        if (structuredMap)
        {
            w.Unicode("StructuredToParameterName@@");
            w.Op(0x7d); w.Put(null);
            w.Op((byte)'(');
            int i = 0;
            foreach (var (name, _, _) in tensors) { w.Unicode(name); w.Unicode($"param_{i++}"); }
            w.Op((byte)'u');
        }
        w.Op((byte)'u');                                // SETITEMS
        w.Op((byte)'.');
        using var f = File.Create(path);
        f.WriteByte(0x80); f.WriteByte((byte)protocol);
        if (protocol >= 4)
        {
            f.WriteByte(0x95);
            f.Write(BitConverter.GetBytes((long)w._body.Length));
        }
        w._body.Position = 0;
        w._body.CopyTo(f);
    }

    /// <summary>Raw bytes for tests that damage a stream.</summary>
    public static byte[] Bytes(IReadOnlyList<(string Name, long[] Shape, float[] Data)> tensors, int protocol = 2)
    {
        var tmp = Path.GetTempFileName();
        try { Write(tmp, tensors, protocol); return File.ReadAllBytes(tmp); }
        finally { File.Delete(tmp); }
    }

    void Op(byte b) => _body.WriteByte(b);
    void Raw(byte[] b) => _body.Write(b);

    void Put(string? key)
    {
        int i = _next++;
        if (key is not null) _memo[key] = i;
        if (_protocol >= 4) Op(0x94);                   // MEMOIZE
        else if (i < 256) { Op((byte)'q'); Op((byte)i); }
        else { Op((byte)'r'); Raw(BitConverter.GetBytes(i)); }
    }

    bool Get(string key)
    {
        if (!_memo.TryGetValue(key, out var i)) return false;
        if (i < 256) { Op((byte)'h'); Op((byte)i); }
        else { Op((byte)'j'); Raw(BitConverter.GetBytes(i)); }
        return true;
    }

    void Unicode(string s, bool memoise = false)
    {
        if (memoise && Get("str:" + s)) return;
        var b = Encoding.UTF8.GetBytes(s);
        if (_protocol >= 4 && b.Length < 256) { Op(0x8c); Op((byte)b.Length); }
        else { Op((byte)'X'); Raw(BitConverter.GetBytes(b.Length)); }
        Raw(b);
        Put(memoise ? "str:" + s : null);
    }

    void Global(string module, string name)
    {
        if (Get($"global:{module}.{name}")) return;
        if (_protocol >= 4)
        {
            Unicode(module, memoise: true);
            Unicode(name, memoise: true);
            Op(0x93);
        }
        else
        {
            Op((byte)'c');
            Raw(Encoding.ASCII.GetBytes($"{module}\n{name}\n"));
        }
        Put($"global:{module}.{name}");
    }

    void Int(long v)
    {
        if (v >= 0 && v < 256) { Op((byte)'K'); Op((byte)v); }
        else if (v >= 0 && v < 65536) { Op((byte)'M'); Raw(BitConverter.GetBytes((ushort)v)); }
        else { Op((byte)'J'); Raw(BitConverter.GetBytes((int)v)); }
    }

    void Bytes(byte[] data)
    {
        if (_protocol >= 3)
        {
            if (data.Length < 256) { Op((byte)'C'); Op((byte)data.Length); }
            else { Op((byte)'B'); Raw(BitConverter.GetBytes(data.Length)); }
            Raw(data);
        }
        else
        {
            Global("_codecs", "encode");
            Unicode(Encoding.Latin1.GetString(data));
            Unicode("latin1", memoise: true);
            Op(0x86);                                   // TUPLE2
            Put(null);
            Op((byte)'R');
        }
        Put(null);
    }

    void Array(long[] shape, float[] data)
    {
        Global(_numpyCore, "_reconstruct");
        Global("numpy", "ndarray");
        Int(0); Op(0x85); Put(null);                    // (0,)
        Bytes("b"u8.ToArray());
        Op(0x87); Put(null);                            // TUPLE3
        Op((byte)'R'); Put(null);                       // REDUCE
        Op((byte)'(');
        Int(1);
        switch (shape.Length)
        {
            case 0: Op((byte)')'); break;
            case 1: Int(shape[0]); Op(0x85); break;
            case 2: Int(shape[0]); Int(shape[1]); Op(0x86); break;
            case 3: Int(shape[0]); Int(shape[1]); Int(shape[2]); Op(0x87); break;
            default: Op((byte)'('); foreach (var d in shape) Int(d); Op((byte)'t'); break;
        }
        Put(null);
        if (!Get("dtype:f4"))
        {
            Global("numpy", "dtype");
            Unicode("f4");
            Op(0x89); Op(0x88); Op(0x87); Put(null);    // ('f4', False, True)
            Op((byte)'R'); Put("dtype:f4");
            Op((byte)'(');
            Int(3); Unicode("<", memoise: true); Op((byte)'N'); Op((byte)'N'); Op((byte)'N');
            Op((byte)'J'); Raw(BitConverter.GetBytes(-1)); Op((byte)'J'); Raw(BitConverter.GetBytes(-1)); Int(0);
            Op((byte)'t'); Put(null);
            Op((byte)'b');                              // BUILD
        }
        Op(0x89);                                       // not Fortran-ordered
        var raw = new byte[data.Length * 4];
        Buffer.BlockCopy(data, 0, raw, 0, raw.Length);
        Bytes(raw);
        Op((byte)'t'); Put(null);
        Op((byte)'b');                                  // BUILD
    }
}

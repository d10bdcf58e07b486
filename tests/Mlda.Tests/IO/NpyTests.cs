using System.Text;
using Mlda.Core;
using Mlda.Core.Imaging;
using Mlda.Core.IO;

namespace Mlda.Tests.IO;

public class NpyTests
{
    [Fact]
    public void Float32MapRoundTripsWithNumpysExactHeader()
    {
        using var dir = new TempDir();
        var map = new FloatMap(2, 3, [1f, 2f, 3f, 4f, 5.5f, -6f]);
        Npy.Write(dir["m.npy"], map);
        var bytes = File.ReadAllBytes(dir["m.npy"]);
        // np.save's layout: version 1, header padded with spaces to a 64-byte boundary, ending in a newline.
        Assert.Equal(0x93, bytes[0]);
        Assert.Equal("NUMPY", Encoding.ASCII.GetString(bytes, 1, 5));
        Assert.Equal(1, bytes[6]);
        int hlen = BitConverter.ToUInt16(bytes, 8);
        Assert.Equal(0, (10 + hlen) % 64);
        var header = Encoding.ASCII.GetString(bytes, 10, hlen);
        Assert.Equal("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", header.TrimEnd());
        Assert.EndsWith("\n", header);
        Assert.Equal(10 + hlen + 24, bytes.Length);

        var back = Npy.Read(dir["m.npy"]);
        Assert.Equal([2, 3], back.Shape);
        Assert.Equal("<f4", back.Dtype);
        Assert.Equal(map.Values, back.ToFloat32());
        Assert.Equal(map.Values, Npy.ReadFloatMap(dir["m.npy"]).Values);
    }

    [Fact]
    public void EveryDtypeRoundTrips()
    {
        using var dir = new TempDir();
        Npy.Write(dir["f8.npy"], new[] { 1.5, -2.25, 1e300 }, 3);
        Npy.Write(dir["u1.npy"], new byte[] { 0, 7, 255, 1 }, 2, 2);
        Npy.Write(dir["u2.npy"], new ushort[] { 0, 65535 }, 2);
        Npy.Write(dir["i4.npy"], new[] { int.MinValue, -1, int.MaxValue }, 3);
        Npy.Write(dir["i8.npy"], new[] { long.MinValue, 5L }, 1, 2);
        Assert.Equal(new[] { 1.5, -2.25, 1e300 }, Npy.Read(dir["f8.npy"]).ToFloat64());
        var u1 = Npy.Read(dir["u1.npy"]);
        Assert.Equal("|u1", u1.Dtype);
        Assert.Equal([2, 2], u1.Shape);
        Assert.Equal(new byte[] { 0, 7, 255, 1 }, u1.ToUInt8());
        Assert.Equal(new ushort[] { 0, 65535 }, Npy.Read(dir["u2.npy"]).ToUInt16());
        Assert.Equal(new[] { int.MinValue, -1, int.MaxValue }, Npy.Read(dir["i4.npy"]).ToInt32());
        var i8 = Npy.Read(dir["i8.npy"]);
        Assert.Equal("<i8", i8.Dtype);
        Assert.Equal(new[] { long.MinValue, 5L }, i8.ToInt64());
        Assert.Equal(new[] { 0f, 65535f }, Npy.Read(dir["u2.npy"]).ToFloat32());
    }

    [Fact]
    public void ReadsVersion2HeadersFortranOrderAndBigEndian()
    {
        using var dir = new TempDir();
        // Version 2.0, Fortran order, shape (2, 3): memory holds columns, so C order is 1 2 3 / 4 5 6.
        var dict = "{'descr': '<i4', 'fortran_order': True, 'shape': (2, 3), }";
        var data = new[] { 1, 4, 2, 5, 3, 6 };
        File.WriteAllBytes(dir["v2.npy"], Build(2, dict, data.SelectMany(BitConverter.GetBytes).ToArray()));
        var a = Npy.Read(dir["v2.npy"]);
        Assert.Equal([2, 3], a.Shape);
        Assert.Equal(new[] { 1, 2, 3, 4, 5, 6 }, a.ToInt32());

        // Big-endian float64 (numpy '>f8'), version 1.
        var be = BitConverter.GetBytes(2.5).Reverse().Concat(BitConverter.GetBytes(-1.0).Reverse()).ToArray();
        File.WriteAllBytes(dir["be.npy"], Build(1, "{'descr': '>f8', 'fortran_order': False, 'shape': (2,), }", be));
        var b = Npy.Read(dir["be.npy"]);
        Assert.Equal("<f8", b.Dtype);
        Assert.Equal(new[] { 2.5, -1.0 }, b.ToFloat64());
    }

    [Fact]
    public void WritesVersion2WhenTheHeaderDoesNotFitVersion1()
    {
        using var dir = new TempDir();
        // A shape string longer than 65535 characters needs the 32-bit header length of version 2.
        var shape = Enumerable.Repeat(1, 22000).ToArray();
        Npy.Write(dir["big.npy"], NpyArray.FromFloat32([3f], shape));
        var bytes = File.ReadAllBytes(dir["big.npy"]);
        Assert.Equal(2, bytes[6]);
        var a = Npy.Read(dir["big.npy"]);
        Assert.Equal(22000, a.Shape.Length);
        Assert.Equal(new[] { 3f }, a.ToFloat32());
    }

    [Fact]
    public void BadFilesAreInputErrorsNamingTheFile()
    {
        using var dir = new TempDir();
        Npy.Write(dir["ok.npy"], new float[12], 3, 4);
        var full = File.ReadAllBytes(dir["ok.npy"]);
        File.WriteAllBytes(dir["trunc.npy"], full[..^5]);
        var e = Assert.Throws<InputException>(() => Npy.Read(dir["trunc.npy"]));
        Assert.Contains("trunc.npy", e.Message);
        Assert.Contains("truncated", e.Message);

        File.WriteAllBytes(dir["magic.npy"], Encoding.ASCII.GetBytes("hello world, not numpy"));
        Assert.Contains("magic", Assert.Throws<InputException>(() => Npy.Read(dir["magic.npy"])).Message);

        File.WriteAllBytes(dir["c8.npy"], Build(1, "{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }", new byte[8]));
        Assert.Contains("unsupported dtype '<c8'", Assert.Throws<InputException>(() => Npy.Read(dir["c8.npy"])).Message);

        File.WriteAllBytes(dir["obj.npy"], Build(1, "{'descr': '|O', 'fortran_order': False, 'shape': (1,), }", new byte[8]));
        Assert.Contains("pickled", Assert.Throws<InputException>(() => Npy.Read(dir["obj.npy"])).Message);

        Npy.Write(dir["f8.npy"], new double[4], 2, 2);
        Assert.Contains("expected float32", Assert.Throws<InputException>(() => Npy.ReadFloatMap(dir["f8.npy"])).Message);
        Npy.Write(dir["1d.npy"], new float[4], 4);
        Assert.Contains("(N, H, W)", Assert.Throws<InputException>(() => Npy.ReadFloatMaps(dir["1d.npy"])).Message);
        Assert.Contains("not found", Assert.Throws<InputException>(() => Npy.Read(dir["none.npy"])).Message);
    }

    [Fact]
    public void WriteLeavesNoPartialFileWhenItFails()
    {
        using var dir = new TempDir();
        Npy.Write(dir["keep.npy"], new float[] { 1, 2 }, 2);
        Assert.ThrowsAny<Exception>(() => AtomicFile.WriteStream(dir["keep.npy"], s =>
        {
            Npy.WriteTo(s, NpyArray.FromFloat32([9f, 9f], 2));
            throw new IOException("disk full");
        }));
        Assert.Equal(new[] { 1f, 2f }, Npy.Read(dir["keep.npy"]).ToFloat32());
        Assert.Single(Directory.GetFiles(dir.Path));
    }

    static byte[] Build(int version, string dict, byte[] data)
    {
        int prefix = version == 1 ? 10 : 12;
        int total = (prefix + dict.Length + 1 + 63) / 64 * 64;
        var header = dict.PadRight(total - prefix - 1) + "\n";
        var ms = new MemoryStream();
        ms.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', (byte)version, 0]);
        if (version == 1) ms.Write(BitConverter.GetBytes((ushort)header.Length));
        else ms.Write(BitConverter.GetBytes((uint)header.Length));
        ms.Write(Encoding.ASCII.GetBytes(header));
        ms.Write(data);
        return ms.ToArray();
    }
}

using Mlda.Core.IO;

namespace Mlda.Tests.IO;

/// <summary>Files written by numpy 1.24.2 itself (embedded as base64; the generating calls are in each comment).</summary>
public class NumpyFilesTests
{
    static string Save(TempDir dir, string name, string base64)
    {
        File.WriteAllBytes(dir[name], Convert.FromBase64String(base64));
        return dir[name];
    }

    [Fact]
    public void ReadsNumpysSavezCompressedWithZip64Members()
    {
        using var dir = new TempDir();
        // np.savez_compressed(f, data=np.arange(6, dtype=np.float32).reshape(2,3)/4, ids=np.array([652,3], np.int64))
        var p = Save(dir, "c.npz", "UEsDBBQAAAAIAAAAIQAKnACkVgAAAJgAAAAIABQAZGF0YS5ucHkBABAAmAAAAAAAAABWAAAAAAAAAJvsF+obEMnIUMZQrZ6SWpxcpG6loG6TZqKuo6Cell9UUpSYF59flJIKEndLzClOBYoXZyQWpAL5GkY6CsaaOgq1CmQDLgYwaLADEvYMDA5A3ADEC+wBUEsDBBQAAAAIAAAAIQCu4ofYTAAAAJAAAAAHABQAaWRzLm5weQEAEACQAAAAAAAAAEwAAAAAAAAAm+wX6hsQychQxlCtnpJanFykbqWgbpNpoa6joJ6WX1RSlJgXn1+UkgoSd0vMKU4FihdnJBakAvkaRjqaOgq1ChQArh4mBjBghlAMAFBLAQIUAxQAAAAIAAAAIQAKnACkVgAAAJgAAAAIAAAAAAAAAAAAAACAAQAAAABkYXRhLm5weVBLAQIUAxQAAAAIAAAAIQCu4ofYTAAAAJAAAAAHAAAAAAAAAAAAAACAAZAAAABpZHMubnB5UEsFBgAAAAACAAIAawAAABUBAAAAAA==");
        var all = Npz.Read(p);
        Assert.Equal([2, 3], all["data"].Shape);
        Assert.Equal(new[] { 0f, 0.25f, 0.5f, 0.75f, 1f, 1.25f }, all["data"].ToFloat32());
        Assert.Equal(new[] { 652L, 3L }, all["ids"].ToInt64());
    }

    [Fact]
    public void ReadsNumpysSavez()
    {
        using var dir = new TempDir();
        // np.savez(f, data=(np.arange(6, dtype=np.float32).reshape(2,3)/4).astype(np.float64))
        var p = Save(dir, "s.npz", "UEsDBBQAAAAAAAAAIQA0MXjIsAAAALAAAAAIABQAZGF0YS5ucHkBABAAsAAAAAAAAACwAAAAAAAAAJNOVU1QWQEAdgB7J2Rlc2NyJzogJzxmOCcsICdmb3J0cmFuX29yZGVyJzogRmFsc2UsICdzaGFwZSc6ICgyLCAzKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAKAAAAAAAAAAAAAAAAAADQPwAAAAAAAOA/AAAAAAAA6D8AAAAAAADwPwAAAAAAAPQ/UEsBAhQDFAAAAAAAAAAhADQxeMiwAAAAsAAAAAgAAAAAAAAAAAAAAIABAAAAAGRhdGEubnB5UEsFBgAAAAABAAEANgAAAOoAAAAAAA==");
        var a = Npz.Read(p, "data");
        Assert.Equal("<f8", a.Dtype);
        Assert.Equal(new[] { 0, 0.25, 0.5, 0.75, 1, 1.25 }, a.ToFloat64());
    }

    [Fact]
    public void ReadsNumpysFortranVersion2BigEndianAndUInt8()
    {
        using var dir = new TempDir();
        // np.lib.format.write_array(f, np.asfortranarray(np.arange(6, dtype=np.int32).reshape(2,3)), version=(2,0))
        var f = Npy.Read(Save(dir, "f.npy", "k05VTVBZAgB0AAAAeydkZXNjcic6ICc8aTQnLCAnZm9ydHJhbl9vcmRlcic6IFRydWUsICdzaGFwZSc6ICgyLCAzKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAwAAAAEAAAAEAAAAAgAAAAUAAAA="));
        Assert.Equal([2, 3], f.Shape);
        Assert.Equal(new[] { 0, 1, 2, 3, 4, 5 }, f.ToInt32());
        // np.save(f, np.array([1, 2, 65535], dtype='>u2'))
        Assert.Equal(new ushort[] { 1, 2, 65535 }, Npy.Read(Save(dir, "b.npy", "k05VTVBZAQB2AHsnZGVzY3InOiAnPnUyJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDMsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAQAC//8=")).ToUInt16());
        // np.save(f, np.array([[0, 255]], dtype=np.uint8)): our writer produces the same bytes
        var u1 = Save(dir, "u.npy", "k05VTVBZAQB2AHsnZGVzY3InOiAnfHUxJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDEsIDIpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoA/w==");
        Assert.Equal(new byte[] { 0, 255 }, Npy.Read(u1).ToUInt8());
        Npy.Write(dir["mine.npy"], new byte[] { 0, 255 }, 1, 2);
        Assert.Equal(File.ReadAllBytes(u1), File.ReadAllBytes(dir["mine.npy"]));
    }
}

using System.IO.Compression;
using Mlda.Core;
using Mlda.Core.IO;

namespace Mlda.Tests.IO;

public class NpzTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void StoredAndDeflatedArchivesRoundTrip(bool compressed)
    {
        using var dir = new TempDir();
        Npz.Write(dir["a.npz"], new Dictionary<string, NpyArray>
        {
            ["data"] = NpyArray.FromFloat32([1f, 2f, 3f, 4f, 5f, 6f], 1, 2, 3),
            ["ids"] = NpyArray.FromInt64([652L, 3L], 2),
        }, compressed);
        using (var zip = ZipFile.OpenRead(dir["a.npz"]))
        {
            Assert.Equal(["data.npy", "ids.npy"], zip.Entries.Select(e => e.FullName));
            // stored members are as long compressed as uncompressed; deflated ones of zeros-free data still differ
            Assert.Equal(!compressed, zip.Entries.All(e => e.CompressedLength == e.Length));
        }
        var back = Npz.Read(dir["a.npz"]);
        Assert.Equal(["data", "ids"], back.Keys.Order());
        Assert.Equal([1, 2, 3], back["data"].Shape);
        Assert.Equal(new[] { 1f, 2f, 3f, 4f, 5f, 6f }, back["data"].ToFloat32());
        Assert.Equal(new[] { 652L, 3L }, Npz.Read(dir["a.npz"], "ids").ToInt64());
    }

    [Fact]
    public void BadArchivesAreInputErrors()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["bad.npz"], "not a zip");
        Assert.Contains("bad.npz", Assert.Throws<InputException>(() => Npz.Read(dir["bad.npz"])).Message);
        Npz.Write(dir["a.npz"], "x", NpyArray.FromUInt8([1], 1));
        Assert.Contains("no array 'data' (has: x)", Assert.Throws<InputException>(() => Npz.Read(dir["a.npz"], "data")).Message);
        // a truncated member names the archive and the key
        using (var zip = ZipFile.Open(dir["t.npz"], ZipArchiveMode.Create))
        using (var s = zip.CreateEntry("y.npy").Open())
        {
            var ms = new MemoryStream();
            Npy.WriteTo(ms, NpyArray.FromFloat32(new float[10], 10));
            s.Write(ms.ToArray(), 0, (int)ms.Length - 3);
        }
        var e = Assert.Throws<InputException>(() => Npz.Read(dir["t.npz"]));
        Assert.Contains("t.npz[y]", e.Message);
        Assert.Contains("truncated", e.Message);
    }
}

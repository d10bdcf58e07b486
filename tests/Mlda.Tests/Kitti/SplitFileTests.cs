using Mlda.Core;
using Mlda.Core.Kitti;

namespace Mlda.Tests.Kitti;

public class SplitFileTests
{
    [Fact]
    public void ReadsEveryMonodepth2Form()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["s.txt"],
            "2011_09_26/2011_09_26_drive_0002_sync 0000000069 l\n" + // eigen test: padded
            "2011_09_26/2011_09_26_drive_0002_sync 473 r\r\n" +      // training: unpadded, CRLF tolerated
            "\n" +                                                  // blank lines carry no entry
            "4 12 l\n" +                                            // odometry: sequence number as folder
            "2011_09_26/2011_09_26_drive_0002_sync 3 2\n" +         // numeric side, as in side_map
            "image 17\n" +                                          // 2 tokens: monodepth2 uses frame 0, no side
            "2011_09_26/2011_09_26_drive_0002_sync");               // 1 token, no final newline
        var s = SplitFile.Read(dir["s.txt"]);
        Assert.Equal(6, s.Count);
        Assert.Equal(new SplitEntry("2011_09_26/2011_09_26_drive_0002_sync", 69, 'l', 1), s[0]);
        Assert.Equal(new SplitEntry("2011_09_26/2011_09_26_drive_0002_sync", 473, 'r', 2), s[1]);
        Assert.Equal(3, s[1].Camera);
        Assert.Equal("2011_09_26", s[1].Date);
        Assert.Equal(new SplitEntry("4", 12, 'l', 4), s[2]);
        Assert.Equal(2, s[3].Camera);
        Assert.Equal(new SplitEntry("image", 0, null, 6), s[4]);
        Assert.Equal(new SplitEntry("2011_09_26/2011_09_26_drive_0002_sync", 0, null, 7), s[5]);
    }

    [Fact]
    public void WriteThenReadRoundTrips()
    {
        using var dir = new TempDir();
        var entries = new[] { new SplitEntry("a/b", 5, 'l', 1), new SplitEntry("a/b", 123, 'r', 2) };
        SplitFile.Write(dir["p.txt"], entries, padFrames: true);
        Assert.Equal("a/b 0000000005 l\na/b 0000000123 r\n", File.ReadAllText(dir["p.txt"]));
        Assert.Equal(entries, SplitFile.Read(dir["p.txt"]));
        SplitFile.Write(dir["u.txt"], entries);
        Assert.Equal("a/b 5 l\na/b 123 r\n", File.ReadAllText(dir["u.txt"]));
    }

    [Theory]
    [InlineData("a/b 12x l", "frame '12x'")]
    [InlineData("a/b -3 l", "frame '-3'")]
    [InlineData("a/b 3 x", "side 'x'")]
    [InlineData("a/b 3 l extra", "4 tokens")]
    public void MalformedLinesNameTheLine(string bad, string what)
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["s.txt"], "a/b 1 l\n" + bad + "\n");
        var e = Assert.Throws<InputException>(() => SplitFile.Read(dir["s.txt"]));
        Assert.Equal(2, e.Line);
        Assert.Contains("s.txt:2:", e.Message);
        Assert.Contains(what, e.Message);
    }
}

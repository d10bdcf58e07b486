using Mlda.Core;
using Mlda.Core.Kitti;

namespace Mlda.Tests.Kitti;

public class KittiRawLayoutTests
{
    static string Root => SharedData.KittiRawSample;
    static string Folder => $"{SharedData.Date}/{SharedData.Drive}";

    [Fact]
    public void FindsTheSampleFiles()
    {
        var left = KittiRawLayout.ImagePath(Root, Folder, 'l', 3);
        Assert.EndsWith(Path.Combine(SharedData.Drive, "image_02", "data", "0000000003.png"), left);
        Assert.EndsWith(Path.Combine("image_03", "data", "0000000003.png"), KittiRawLayout.ImagePath(Root, Folder, 'r', 3));
        Assert.EndsWith(Path.Combine("image_00", "data", "0000000009.png"), KittiRawLayout.ImagePath(Root, Folder, 0, 9));
        Assert.True(File.Exists(KittiRawLayout.VelodynePath(Root, Folder, 9)));
        Assert.True(File.Exists(KittiRawLayout.OxtsPath(Root, Folder, 9)));
        Assert.Equal(Path.Combine(Root, "2011_09_26"), KittiRawLayout.CalibrationDir(Root, Folder));
        Assert.Null(KittiRawLayout.FindImage(Root, Folder, 2, 10));
        var e = Assert.Throws<InputException>(() => KittiRawLayout.ImagePath(Root, Folder, 'l', 10));
        Assert.Contains("0000000010", e.Message);
        Assert.Contains("0000000010.bin", Assert.Throws<InputException>(() => KittiRawLayout.RequireVelodyne(Root, Folder, 10)).Message);
    }

    [Fact]
    public void FallsBackToJpgAndPrefersPng()
    {
        using var dir = new TempDir();
        var d = Path.Combine(dir.Path, "2011_10_03", "2011_10_03_drive_0027_sync", "image_02", "data");
        Directory.CreateDirectory(d);
        File.WriteAllText(Path.Combine(d, "0000000001.jpg"), "");
        Assert.EndsWith("0000000001.jpg", KittiRawLayout.ImagePath(dir.Path, "2011_10_03/2011_10_03_drive_0027_sync", 'l', 1));
        File.WriteAllText(Path.Combine(d, "0000000001.png"), "");
        Assert.EndsWith("0000000001.png", KittiRawLayout.ImagePath(dir.Path, "2011_10_03/2011_10_03_drive_0027_sync", 2, 1));
    }

    [Fact]
    public void ReadsTimestampsWithSubMicrosecondDigits()
    {
        var t = Timestamps.Read(KittiRawLayout.TimestampsPath(Root, Folder, "image_02"));
        Assert.Equal(77, t.Count);
        Assert.Equal(new DateTime(2011, 9, 26, 13, 2, 44, DateTimeKind.Utc).AddTicks(3_279_639), t[0]); // .327963904
        Assert.InRange((t[1] - t[0]).TotalSeconds, 0.09, 0.11); // 10 Hz
        Assert.Equal(77, Timestamps.Read(KittiRawLayout.TimestampsPath(Root, Folder, "velodyne_points")).Count);

        using var dir = new TempDir();
        File.WriteAllText(dir["ts.txt"], "2011-09-26 13:02:44.327963904\n2011-09-26 13:02:4x.1\n");
        var e = Assert.Throws<InputException>(() => Timestamps.Read(dir["ts.txt"]));
        Assert.Equal(2, e.Line);
    }

    [Fact]
    public void ReadsOxtsPackets()
    {
        var p = OxtsPacket.Read(KittiRawLayout.OxtsPath(Root, Folder, 0));
        Assert.Equal(49.014469305055, p.Lat);
        Assert.Equal(8.4323954473023, p.Lon);
        Assert.Equal(-3.0025129803847, p.Yaw);
        Assert.Equal(0.015, p.VelAccuracy);
        Assert.Equal((4, 9, 6, 6, 0), (p.NavStat, p.NumSats, p.PosMode, p.VelMode, p.OriMode));

        using var dir = new TempDir();
        File.WriteAllText(dir["o.txt"], "1 2 3\n");
        Assert.Contains("expected 30 values, got 3", Assert.Throws<InputException>(() => OxtsPacket.Read(dir["o.txt"])).Message);
    }
}

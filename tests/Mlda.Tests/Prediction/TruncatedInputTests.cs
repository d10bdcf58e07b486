using Mlda.Core;
using Mlda.Core.Imaging;
using Mlda.Core.IO;
using Mlda.Core.Prediction;
using OpenCvSharp;

namespace Mlda.Tests.Prediction;

/// <summary>Decoders that degrade silently (libjpeg, FFmpeg, .NET's zip reader) are not trusted with a damaged file.</summary>
public class TruncatedInputTests
{
    static string KittiImage(int frame) =>
        Path.Combine(SharedData.KittiRawSample, SharedData.Date, SharedData.Drive, "image_02", "data", $"{frame:D10}.png");

    [Fact]
    public void A_truncated_jpeg_is_rejected_by_name()
    {
        using var dir = new TempDir();
        using (var image = Cv2.ImRead(KittiImage(0))) Cv2.ImWrite(dir["whole.jpg"], image);
        var bytes = File.ReadAllBytes(dir["whole.jpg"]);
        File.WriteAllBytes(dir["cut.jpg"], bytes[..(bytes.Length / 2)]);
        File.WriteAllBytes(dir["padded.jpg"], [.. bytes, 0, 0, 0]);

        using (var cut = Cv2.ImRead(dir["cut.jpg"])) Assert.False(cut.Empty()); // what OpenCV alone makes of it: an image
        foreach (var load in new Func<string, IDisposable>[] { p => ImageFile.LoadBgrMat(p), PredictionSource.ReadImage })
        {
            var e = Assert.Throws<InputException>(() => load(dir["cut.jpg"]));
            Assert.Contains("cut.jpg", e.Message);
            Assert.Contains("truncated JPEG", e.Message);
            load(dir["whole.jpg"]).Dispose();
            load(dir["padded.jpg"]).Dispose(); // zero padding after the end-of-image marker is allowed
        }
        Assert.Throws<InputException>(() => ImageFile.LoadRgb(dir["cut.jpg"]));
    }

    [Theory]
    [InlineData("clip.avi", "MJPG")]
    [InlineData("clip.mp4", "mp4v")]
    public void A_truncated_video_is_rejected_before_any_output(string name, string codec)
    {
        using var dir = new TempDir();
        var video = dir[name];
        using (var writer = new VideoWriter(video, FourCC.FromString(codec), 10, new Size(320, 96)))
        {
            Assert.True(writer.IsOpened());
            using var frame = Cv2.ImRead(KittiImage(0));
            using var small = frame.Resize(new Size(320, 96));
            for (int i = 0; i < 20; i++) writer.Write(small);
        }
        Assert.Equal(20, PredictionSource.Open(video).Count);
        var bytes = File.ReadAllBytes(video);
        File.WriteAllBytes(video, bytes[..(bytes.Length / 2)]);
        var e = Assert.Throws<InputException>(() => PredictionSource.Open(video));
        Assert.Contains(name, e.Message);
    }

    [Fact]
    public void An_npz_member_with_a_bad_crc_is_rejected()
    {
        using var dir = new TempDir();
        var array = NpyArray.FromFloat32(Enumerable.Range(0, 4096).Select(i => (float)i).ToArray(), 64, 64);
        Npz.Write(dir["good.npz"], "data", array, compressed: false);
        Assert.Equal(array.Data, Npz.Read(dir["good.npz"], "data").Data);
        var bytes = File.ReadAllBytes(dir["good.npz"]);
        bytes[bytes.Length / 2] ^= 0x01; // inside the stored member: still a valid .npy, wrong numbers
        File.WriteAllBytes(dir["bad.npz"], bytes);
        var e = Assert.Throws<InputException>(() => Npz.Read(dir["bad.npz"]));
        Assert.Contains("bad.npz", e.Message);
        Assert.Contains("CRC-32", e.Message);
    }
}

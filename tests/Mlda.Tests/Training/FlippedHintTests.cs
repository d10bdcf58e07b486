using Mlda.Core.Hints;
using Mlda.Core.Imaging;
using Mlda.Training;
using OpenCvSharp;

namespace Mlda.Tests.Training;

public class FlippedHintTests
{
    /// <summary>
    /// The reference's training hint of item <paramref name="index"/>, computed directly: <c>np.load(p)[0]</c>,
    /// <c>np.fliplr</c>, then <c>cv2.resize(..., INTER_NEAREST)</c>.
    /// </summary>
    public static float[] FlipThenInterNearest(KittiRawDataset data, int index, int height, int width)
    {
        var e = data.Entries[index];
        var raw = DepthHintFile.Read(new DepthHintItem(e.Folder, e.FrameIndex, e.Camera == 2 ? StereoSide.Left : StereoSide.Right).OutputPath(RealSample.HintDir));
        var flipped = new float[raw.Values.Length];
        for (int y = 0; y < raw.Height; y++)
            for (int x = 0; x < raw.Width; x++)
                flipped[y * raw.Width + x] = raw[y, raw.Width - 1 - x];
        using var src = new Mat(raw.Height, raw.Width, MatType.CV_32FC1);
        src.SetArray(flipped);
        using var dst = new Mat();
        Cv2.Resize(src, dst, new Size(width, height), 0, 0, InterpolationFlags.Nearest);
        dst.GetArray(out float[] values);
        return values;
    }

    [Fact]
    public void A_flipped_training_hint_is_the_flipped_file_resized_with_inter_nearest_not_the_resized_hint_flipped()
    {
        // Hints of the real sample are 512x160; the network is 128x64, so the two orders read different columns.
        var data = new KittiRawDataset(RealSample.Data, RealSample.Train,
            new DatasetOptions(64, 128, HintPath: RealSample.HintDir), isTrain: true);
        TrainingSample? flipped = null, plain = null;
        for (int seed = 0; flipped is null || plain is null; seed++)
        {
            var s = data.Get(3, new Random(seed));
            if (s.Flipped) flipped ??= s; else plain ??= s;
        }
        var expected = FlipThenInterNearest(data, 3, 64, 128);
        Assert.Equal(expected, flipped.Hint);
        Assert.Equal(CameraIntrinsics.KittiMatrix4(128, 64), flipped.K);   // K belongs to the item, not changed by the flip
        var resizedThenFlipped = new float[64 * 128];
        for (int y = 0; y < 64; y++)
            for (int x = 0; x < 128; x++)
                resizedThenFlipped[y * 128 + x] = plain.Hint![y * 128 + 127 - x];
        Assert.NotEqual(resizedThenFlipped, flipped.Hint);   // the old order: source columns off by 1-3
    }

    [Fact]
    public void The_opencv_convention_is_floor_and_the_skimage_convention_the_pixel_under_the_centre()
    {
        var map = new FloatMap(1, 8);
        for (int x = 0; x < 8; x++) map[0, x] = x;
        // 8 → 3 columns: OpenCV floor(c·8/3) = 0, 2, 5; skimage round(8/3·(c+0.5) − 0.5) = 1, 4, 6.
        Assert.Equal([0f, 2, 5], NearestResize.OpenCv(map, 1, 3).Values);
        Assert.Equal([1f, 4, 6], NearestResize.Skimage(map, 1, 3).Values);
    }
}

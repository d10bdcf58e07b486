using Mlda.Core;
using Mlda.Core.Imaging;
using Mlda.Training;

namespace Mlda.Tests.Training;

public class KittiRawDatasetTests
{
    static DatasetOptions Options(bool temporal = true, bool hints = true, bool gt = false) =>
        new(64, 128, TemporalOffsets: temporal ? [-1, 1] : [], UseStereo: true, HintPath: hints ? RealSample.HintDir : null, LoadGroundTruth: gt);

    [Fact]
    public void Sequence_borders_are_skipped_and_counted_only_when_temporal_neighbours_are_needed()
    {
        var mono = new KittiRawDataset(RealSample.Data, RealSample.Train, Options(), isTrain: true);
        Assert.Equal(16, mono.Count);            // frames 1-8, both sides
        Assert.Equal(4, mono.SkippedAtBorders);  // frames 0 and 9, both sides
        var stereo = new KittiRawDataset(RealSample.Data, RealSample.Train, Options(temporal: false), isTrain: true);
        Assert.Equal(20, stereo.Count);
        Assert.Equal(0, stereo.SkippedAtBorders);
        Assert.Equal(["-1", "1", "s"], mono.SourceFrames.Select(f => f.ToString()));
    }

    [Fact]
    public void A_missing_target_frame_is_reported_apart_from_sequence_borders()
    {
        var lines = RealSample.Train.Append(new Mlda.Core.Kitti.SplitEntry(RealSample.Folder, 50, 'l', 21)).ToList();
        var ds = new KittiRawDataset(RealSample.Data, lines, Options(), isTrain: true);
        Assert.Equal(16, ds.Count);
        Assert.Equal(4, ds.SkippedAtBorders);
        var missing = Assert.Single(ds.Skipped, s => s.Warn);
        Assert.Equal(KittiRawDataset.MissingTargets, missing.Reason);
        Assert.Equal([$"{RealSample.Folder} 50 l"], missing.Items);
        var warning = Assert.Single(SkippedItems.Warnings(ds.Skipped));
        Assert.Contains($"{RealSample.Folder} 50 l", warning);
        Assert.Equal("4 skipped at sequence borders, 1 skipped: target frame missing", SkippedItems.Summary(ds.Skipped));
    }

    [Fact]
    public void An_item_holds_every_frame_at_scale_0_the_target_at_every_scale_and_the_hint()
    {
        var ds = new KittiRawDataset(RealSample.Data, RealSample.Train, Options(gt: true), isTrain: false);
        var s = ds.Get(0, new Random(0));
        int n = 64 * 128;
        Assert.Equal(3 * n, s.Target.Length);
        Assert.Equal(3, s.Sources.Length);
        Assert.All(s.Sources, x => Assert.Equal(3 * n, x.Length));
        Assert.Equal([3 * n / 4, 3 * n / 16, 3 * n / 64], s.TargetScales.Select(x => x.Length));
        Assert.All(s.Target, v => Assert.InRange(v, 0f, 1f));
        Assert.Equal(s.Target, s.TargetAugmented);   // validation: no augmentation
        Assert.Equal(n, s.Hint!.Length);
        Assert.True(s.Hint.Count(v => v > 0) > n / 4, "the hint should be valid on a good part of the image");
        Assert.Equal(-0.1f, s.StereoShift);          // left target: T[0,3] = −0.1
        Assert.NotNull(s.GroundTruth);
        Assert.Equal((375, 1242), (s.GroundTruth!.Height, s.GroundTruth.Width));
        // The chained scales are the same picture, smaller: their means agree.
        Assert.Equal(s.Target.Average(), s.TargetScales[2].Average(), 2);
    }

    [Fact]
    public void A_flip_mirrors_images_hint_and_ground_truth_and_inverts_the_stereo_sign()
    {
        var plain = new KittiRawDataset(RealSample.Data, RealSample.Train, Options(gt: true), isTrain: false).Get(1, new Random(0));
        var train = new KittiRawDataset(RealSample.Data, RealSample.Train, Options(gt: true), isTrain: true);
        TrainingSample? flipped = null;
        for (int seed = 0; flipped is null; seed++)
        {
            var s = train.Get(1, new Random(seed));
            if (s.Flipped) flipped = s;
        }
        Assert.Equal(-plain.StereoShift, flipped.StereoShift); // the flip inverts the stereo sign
        Assert.Equal(0.1f, plain.StereoShift);                  // item 1 is frame 1 'r': right target, T[0,3] = +0.1
        static float At(float[] chw, int c, int y, int x) => chw[c * 64 * 128 + y * 128 + x];
        for (int y = 0; y < 64; y += 7)
            for (int x = 0; x < 128; x += 5)
            {
                Assert.Equal(At(plain.Target, 0, y, x), At(flipped.Target, 0, y, 127 - x));
                Assert.Equal(At(plain.Sources[2], 1, y, x), At(flipped.Sources[2], 1, y, 127 - x));
            }
        // The hint is flipped at its own size, then resized (mono_dataset.py __getitem__): see FlippedHintTests.
        Assert.Equal(FlippedHintTests.FlipThenInterNearest(train, 1, 64, 128), flipped.Hint);
        var g = plain.GroundTruth!;
        Assert.Equal(g[200, 300], flipped.GroundTruth![200, g.Width - 1 - 300]);
    }

    [Fact]
    public void Colour_augmentation_changes_only_the_augmented_copies()
    {
        var train = new KittiRawDataset(RealSample.Data, RealSample.Train, Options(hints: false), isTrain: true);
        for (int seed = 0; seed < 50; seed++)
        {
            var s = train.Get(2, new Random(seed));
            if (s.TargetAugmented.SequenceEqual(s.Target)) continue;
            Assert.All(s.TargetAugmented, v => Assert.InRange(v, 0f, 1f));
            Assert.False(s.SourcesAugmented[0].SequenceEqual(s.Sources[0]));
            return;
        }
        Assert.Fail("no colour augmentation in 50 draws (p = 0.5 each)");
    }

    [Fact]
    public void A_missing_hint_is_an_input_error_naming_the_file()
    {
        using var tmp = new TempDir();
        var ds = new KittiRawDataset(RealSample.Data, RealSample.Train, Options() with { HintPath = tmp.Path }, isTrain: false);
        var e = Assert.Throws<InputException>(() => ds.Get(0, new Random(0)));
        Assert.Contains("0000000001.npy", e.Message);
    }

    [Fact]
    public void Intrinsics_follow_the_reference_at_640x192()
    {
        var k = CameraIntrinsics.KittiMatrix4(640, 192);
        Assert.Equal(371.2f, k[0], 3);
        Assert.Equal(368.64f, k[5], 3);
        Assert.Equal(320f, k[2]);
        Assert.Equal(96f, k[6]);
        var inv = CameraIntrinsics.KittiInverseMatrix4(640, 192);
        // K⁻¹·[cx, cy, 1] is the optical axis.
        Assert.Equal(0f, inv[0] * 320 + inv[2], 5);
        Assert.Equal(0f, inv[5] * 96 + inv[6], 5);
        Assert.Equal(160f * 0.58f, CameraIntrinsics.KittiMatrix4(640, 192, 2)[0] , 3);
    }
}

using Mlda.Core.Hints;
using Mlda.Core.Imaging;
using Xunit.Abstractions;

namespace Mlda.Tests.Hints;

public class DepthHintGeneratorTests(ITestOutputHelper output)
{
    // A small hint size keeps the twelve matchers fast; the algorithm does not depend on it.
    static readonly DepthHintOptions Small = new() { Width = 320, Height = 96 };

    [Fact]
    public void Fusion_picks_the_true_disparity_among_wrong_ones()
    {
        var scene = StereoScene.Ramp(96, 320, 20, 20, seed: 1);
        var generator = new DepthHintGenerator(Small);
        FloatMap Constant(float d) => new(96, 320, Enumerable.Repeat(d, 96 * 320).ToArray());
        var candidates = new[] { Constant(14), Constant(-1), Constant(20), Constant(26) };
        var hint = generator.Fuse(scene.Left, scene.Right, StereoSide.Left, candidates);
        // Away from the left border (where x − 20 falls outside the right image) the truth must win.
        int wins = 0, n = 0;
        for (int y = 2; y < 94; y++)
            for (int x = 30; x < 318; x++, n++)
                if (hint.Winner[y * 320 + x] == 2) wins++;
        Assert.True(wins > 0.99 * n, $"true candidate won {wins} of {n}");
        Assert.Equal(Small.FocalLengthTimesBaseline / (20 + 1e-7f), hint.Depth[50, 100]);
    }

    [Fact]
    public void Fusion_leaves_zero_only_where_no_candidate_is_valid_unless_reference_mode()
    {
        var scene = StereoScene.Ramp(96, 320, 20, 20, seed: 2);
        var valid = new FloatMap(96, 320, Enumerable.Repeat(20f, 96 * 320).ToArray());
        var invalid = new FloatMap(96, 320, Enumerable.Repeat(-1f, 96 * 320).ToArray());
        for (int x = 0; x < 320; x++) valid[10, x] = 0; // one row without any valid candidate
        var hint = new DepthHintGenerator(Small).Fuse(scene.Left, scene.Right, StereoSide.Left, [invalid, valid]);
        for (int x = 0; x < 320; x++) Assert.Equal(0f, hint.Depth[10, x]);
        Assert.True(hint.Depth.Values.Count(v => v > 0) == 95 * 320);

        // The reference's unmasked argmin lets the invalid candidate (first, so it wins ties) take some pixels.
        var reference = new DepthHintGenerator(Small with { InvalidCandidates = InvalidCandidatePolicy.CompeteAsReference })
            .Fuse(scene.Left, scene.Right, StereoSide.Left, [invalid, valid]);
        Assert.True(reference.Coverage <= hint.Coverage);
    }

    [Theory]
    [InlineData(StereoSide.Left)]
    [InlineData(StereoSide.Right)]
    public void Fused_sgbm_hints_recover_a_known_surface(StereoSide side)
    {
        var scene = StereoScene.Ramp(96, 320, nearDisparity: 30, farDisparity: 6, seed: 3);
        var generator = new DepthHintGenerator(Small);
        var hint = side == StereoSide.Left
            ? generator.Compute(scene.Left, scene.Right, StereoSide.Left)
            : generator.Compute(scene.Right, scene.Left, StereoSide.Right);
        Assert.Equal((96, 320), (hint.Depth.Height, hint.Depth.Width));
        // For a right base the disparity is the same function of the row (the pair is mirrored symmetrically).
        var (coverage, within) = scene.Score(hint, Small, side);
        output.WriteLine($"{side}: coverage {coverage:P2}, within 5% {within:P2}");
        // Measured: coverage 79.9% (the 64 columns SGBM never matches are 20% of 320), within 5% 99.9%, both sides.
        Assert.True(coverage > 0.75, $"coverage {coverage:P1}");
        Assert.True(within > 0.95, $"within 5%: {within:P1}");
        // The unmatched border is on the side away from the other camera: left columns for a left base.
        int border = side == StereoSide.Left ? 5 : 314;
        Assert.Equal(0f, hint.Depth[50, border]);
    }

    [Fact]
    public void Opencv_block_sizes_2_and_3_match_identically_so_they_run_once()
    {
        // The generator runs block sizes 2 and 3 once (OpenCV uses only blockSize/2); if an OpenCV update ever
        // changed that, this fails and SgbmSettings.MatchingEquivalent must go.
        var png = Path.Combine(SharedData.KittiRawSample, SharedData.Date, SharedData.Drive, "image_0{0}", "data", "0000000004.png");
        var generator = new DepthHintGenerator();
        var (b, o) = generator.Prepare(ImageFile.LoadRgb(string.Format(png, 2)), ImageFile.LoadRgb(string.Format(png, 3)));
        using var bm = b.ToMat();
        using var om = o.ToMat();
        foreach (var side in new[] { StereoSide.Left, StereoSide.Right })
        {
            using var two = new SgbmDisparity(new SgbmSettings(2, 96));
            using var three = new SgbmDisparity(new SgbmSettings(3, 96));
            var (x, y) = side == StereoSide.Left ? (bm, om) : (om, bm);
            Assert.Equal(two.Compute(x, y, side).Values, three.Compute(x, y, side).Values);
        }
        var maps = new DepthHintGenerator(Small).Disparities(PilResize.Lanczos(b, 320, 96), PilResize.Lanczos(o, 320, 96), StereoSide.Left);
        Assert.Equal(12, maps.Count);
        for (int i = 4; i < 8; i++) Assert.Same(maps[i], maps[i + 4]);
        Assert.NotSame(maps[0], maps[4]);
    }

    [Fact]
    public void Images_are_resized_to_the_hint_size_with_pil_lanczos()
    {
        var scene = StereoScene.Ramp(120, 400, 20, 20, seed: 4);
        var generator = new DepthHintGenerator(Small);
        var (b, o) = generator.Prepare(scene.Left, scene.Right);
        Assert.Equal(PilResize.Lanczos(scene.Left, 320, 96).Pixels, b.Pixels);
        Assert.Equal(PilResize.Lanczos(scene.Right, 320, 96).Pixels, o.Pixels);
    }

    [Fact]
    public void Depth_from_disparity_is_depth_hints_formula()
    {
        var g = new DepthHintGenerator();
        var depth = g.DepthFromDisparity(new FloatMap(1, 4, [16f, 0f, -1f, 0.0625f]));
        float fb = 0.58f * 1024 * 0.1f;
        Assert.Equal(fb / (16f + 1e-7f), depth[0, 0]);
        Assert.Equal(0f, depth[0, 1]);
        Assert.Equal(0f, depth[0, 2]);
        Assert.Equal(fb / (0.0625f + 1e-7f), depth[0, 3]);
        Assert.Equal(12, SgbmSettings.DepthHintsBank.Count);
        Assert.Equal(new SgbmSettings(1, 64), SgbmSettings.DepthHintsBank[0]);
        Assert.Equal(new SgbmSettings(3, 160), SgbmSettings.DepthHintsBank[11]);
    }
}

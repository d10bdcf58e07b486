using Mlda.Layers;
using Mlda.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace Mlda.Tests.Layers;

public class GeometryLayerTests
{
    /// <summary>Normalised KITTI intrinsics scaled to a W×H network input (<c>kitti_dataset.py</c> <c>K</c>).</summary>
    static (Tensor K, Tensor InvK) Intrinsics(int width, int height, int batch)
    {
        var k = tensor(new float[] { 0.58f * width, 0, 0.5f * width, 0, 0, 1.92f * height, 0.5f * height, 0, 0, 0, 1, 0, 0, 0, 0, 1 }).view(1, 4, 4);
        return (k.repeat(batch, 1, 1), linalg.inv(k).repeat(batch, 1, 1));
    }

    [Fact]
    public void Disparity_to_depth_spans_min_to_max_depth_and_inverts()
    {
        using var scope = NewDisposeScope();
        var sig = tensor(new float[] { 0f, 0.5f, 1f });
        var (scaled, depth) = DispToDepth.Convert(sig, 0.1, 100);
        Assert.Equal(100f, depth[0].item<float>(), 3);
        Assert.Equal(0.1f, depth[2].item<float>(), 5);
        Assert.Equal(0.01f + 9.99f * 0.5f, scaled[1].item<float>(), 4);
        var back = DispToDepth.ToSigmoid(depth, 0.1, 100);
        Assert.True(allclose(back, sig, atol: 1e-5));
    }

    [Fact]
    public void Rotation_is_orthonormal_and_inverse_transform_undoes_forward()
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        var aa = randn(3, 1, 3) * 0.3;
        var t = randn(3, 1, 3);
        var m = TransformationFromParameters.Compute(aa, t, invert: false);
        var mi = TransformationFromParameters.Compute(aa, t, invert: true);
        var r = m.narrow(1, 0, 3).narrow(2, 0, 3);
        Assert.True(allclose(matmul(r, r.transpose(1, 2)), eye(3).expand(3, 3, 3), atol: 1e-5));
        Assert.True(allclose(matmul(m, mi), eye(4).expand(3, 4, 4), atol: 1e-5));
        // Rodrigues: a rotation of θ about z.
        var rz = TransformationFromParameters.Rotation(tensor(new float[] { 0, 0, 0.5f }).view(1, 1, 3));
        Assert.Equal(Math.Cos(0.5), rz[0, 0, 0].item<float>(), 5);
        Assert.Equal(-Math.Sin(0.5), rz[0, 0, 1].item<float>(), 5);
        // Translation sits in the last column of the forward transform.
        Assert.True(allclose(m.narrow(2, 3, 1).narrow(1, 0, 3).squeeze(2), t.squeeze(1), atol: 1e-6));
    }

    [Fact]
    public void Identity_transform_reproduces_the_source_image()
    {
        using var scope = NewDisposeScope();
        const int h = 24, w = 80;
        var (k, invK) = Intrinsics(w, h, 2);
        var img = rand(2, 3, h, w);
        var depth = rand(2, 1, h, w) * 10 + 1;
        using var warp = new ViewSynthesis(h, w);
        var outImg = warp.forward(img, depth, k, invK, eye(4).expand(2, 4, 4));
        Assert.True(allclose(outImg, img, atol: 1e-4));
    }

    [Fact]
    public void Stereo_warp_with_the_true_depth_recovers_the_left_view()
    {
        // A fronto-parallel plane at depth d seen by two cameras 0.1 apart: the right image is the left one shifted
        // left by the disparity fx·0.1/d pixels. Warping the right view into the left camera (T[0,3] = −0.1 for a
        // left target, mono_dataset.py stereo_T) with depth d must give back the left view; a wrong depth must not.
        using var scope = NewDisposeScope();
        const int h = 24, w = 80;
        var (k, invK) = Intrinsics(w, h, 1);
        double fx = 0.58 * w, d = fx * 0.1 / 4.0; // disparity of exactly 4 px
        var cols = arange(w, dtype: float32);
        var left = (cols * 0.3).sin().view(1, 1, 1, w).expand(1, 3, h, w).contiguous();
        var right = ((cols + 4) * 0.3).sin().view(1, 1, 1, w).expand(1, 3, h, w).contiguous();
        var t = eye(4).clone(); t[0, 3] = tensor(-0.1f);
        using var warp = new ViewSynthesis(h, w);
        var recon = warp.forward(right, full(1, 1, h, w, d), k, invK, t.unsqueeze(0));
        var inner = (Tensor x) => x.narrow(3, 8, w - 8); // the left columns sample beyond the right image
        Assert.True((inner(recon) - inner(left)).abs().max().item<float>() < 1e-3);
        var wrong = warp.forward(right, full(1, 1, h, w, d * 2), k, invK, t.unsqueeze(0));
        Assert.True((inner(wrong) - inner(left)).abs().mean().item<float>() > 0.1);
    }

    [Fact]
    public void Ssim_loss_is_zero_for_equal_images_and_positive_otherwise()
    {
        using var scope = NewDisposeScope();
        manual_seed(2);
        using var ssim = new Ssim();
        var a = rand(1, 3, 16, 16);
        Assert.True(ssim.forward(a, a).abs().max().item<float>() < 1e-4);
        var loss = ssim.forward(a, rand(1, 3, 16, 16));
        Assert.True(loss.mean().item<float>() > 0.2);
        Assert.True(loss.max().item<float>() <= 1f && loss.min().item<float>() >= 0f);
    }

    [Fact]
    public void Reprojection_loss_mixes_ssim_and_l1_with_weights_085_015()
    {
        using var scope = NewDisposeScope();
        using var pe = new ReprojectionLoss();
        var a = full(1, 3, 8, 8, 0.2f);
        var b = full(1, 3, 8, 8, 0.6f);
        // Constant images: σ terms vanish, SSIM = (2·0.12 + C1)/(0.04 + 0.36 + C1), L1 = 0.4.
        double c1 = 1e-4, ssimVal = (2 * 0.2 * 0.6 + c1) / (0.04 + 0.36 + c1);
        double expected = 0.85 * (1 - ssimVal) / 2 + 0.15 * 0.4;
        var loss = pe.forward(a, b);
        Assert.Equal(new long[] { 1, 1, 8, 8 }, loss.shape);
        Assert.Equal(expected, loss.mean().item<float>(), 4);
    }
}

using TorchSharp;
using static TorchSharp.torch;

namespace Mlda.Layers;

/// <summary>
/// Camera-space points to a sampling grid (<c>layers.py</c> <c>Project3D</c>): p = (K·T)[:3]·P,
/// u = pₓ/(p_z + 1e-7), v = p_y/(p_z + 1e-7), normalised as 2·u/(W−1) − 1 and 2·v/(H−1) − 1, which matches
/// <c>grid_sample(align_corners: true)</c>. Output [B, H, W, 2].
/// </summary>
public sealed class Project3D : nn.Module<Tensor, Tensor, Tensor, Tensor>
{
    const double Eps = 1e-7;
    readonly int _height, _width;

    public Project3D(int height, int width) : base(nameof(Project3D))
    {
        _height = height;
        _width = width;
    }

    /// <param name="points">[B, 4, H·W]</param>
    /// <param name="k">[B, 4, 4]</param>
    /// <param name="t">[B, 4, 4]: the transform from the target camera to the source camera</param>
    public override Tensor forward(Tensor points, Tensor k, Tensor t)
    {
        long b = points.shape[0];
        var p = matmul(matmul(k, t).narrow(1, 0, 3), points);             // [B, 3, H·W]
        var pix = p.narrow(1, 0, 2) / (p.narrow(1, 2, 1) + Eps);            // [B, 2, H·W]
        pix = pix.view(b, 2, _height, _width).permute(0, 2, 3, 1);          // [B, H, W, 2]
        var scale = tensor(new float[] { 2f / (_width - 1), 2f / (_height - 1) }, device: pix.device);
        return pix * scale - 1;
    }
}

using TorchSharp;
using static TorchSharp.torch;

namespace Mlda.Layers;

/// <summary>
/// Depth map to camera-space points (<c>layers.py</c> <c>BackprojectDepth</c>): P = depth · K⁻¹ [x, y, 1]ᵀ for
/// every pixel (x ∈ 0..W−1, y ∈ 0..H−1), with a homogeneous 1 appended. Output [B, 4, H·W].
/// Unlike the reference the batch size is not fixed at construction, so the last, smaller batch works too.
/// </summary>
public sealed class BackprojectDepth : nn.Module<Tensor, Tensor, Tensor>
{
    readonly int _height, _width;
    Tensor _pixels; // [1, 3, H·W]: x, y, 1

    public BackprojectDepth(int height, int width) : base(nameof(BackprojectDepth))
    {
        _height = height;
        _width = width;
        using var scope = NewDisposeScope();
        var ys = arange(height, dtype: float32).view(height, 1).expand(height, width).reshape(1, -1);
        var xs = arange(width, dtype: float32).view(1, width).expand(height, width).reshape(1, -1);
        _pixels = cat([xs, ys, ones_like(xs)], 0).unsqueeze(0).MoveToOuterDisposeScope();
    }

    /// <param name="depth">[B, 1, H, W]</param>
    /// <param name="invK">[B, 4, 4]</param>
    public override Tensor forward(Tensor depth, Tensor invK)
    {
        long b = depth.shape[0];
        if (depth.shape[2] != _height || depth.shape[3] != _width)
            throw new ArgumentException($"depth is {depth.shape[2]}x{depth.shape[3]}, layer built for {_height}x{_width}");
        if (_pixels.device_type != depth.device_type || _pixels.device_index != depth.device_index)
        {
            // The moved copy must outlive the caller's dispose scope: it is this layer's, like a buffer.
            var moved = _pixels.to(depth.device).DetachFromDisposeScope();
            _pixels.Dispose();
            _pixels = moved;
        }
        var rays = matmul(invK.narrow(1, 0, 3).narrow(2, 0, 3), _pixels.expand(b, 3, -1));
        var points = depth.view(b, 1, -1) * rays;
        return cat([points, ones(b, 1, points.shape[2], dtype: points.dtype, device: points.device)], 1);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _pixels.Dispose();
        base.Dispose(disposing);
    }
}

using static TorchSharp.torch;

namespace Mlda.Layers;

/// <summary>
/// The pose network's axis-angle and translation to a 4×4 camera transform (monodepth2
/// <c>transformation_from_parameters</c> in <c>layers.py</c>): R from Rodrigues' formula with θ = ‖v‖ and axis = v/(θ + 1e-7);
/// forward M = T(t)·R, inverted M = Rᵀ·T(−t) (used for the frame before the target).
/// </summary>
public static class TransformationFromParameters
{
    /// <param name="axisAngle">[B, 1, 3]</param>
    /// <param name="translation">[B, 1, 3]</param>
    /// <param name="invert">the inverse transform Rᵀ·T(−t), for the frame before the target</param>
    /// <returns>[B, 4, 4]</returns>
    public static Tensor Compute(Tensor axisAngle, Tensor translation, bool invert)
    {
        var r = Rotation(axisAngle);
        var t = translation.clone();
        if (invert)
        {
            r = r.transpose(1, 2);
            t = -t;
        }
        var tm = TranslationMatrix(t);
        return invert ? matmul(r, tm) : matmul(tm, r);
    }

    /// <summary>[B, 1, 3] axis-angle to a [B, 4, 4] rotation (homogeneous).</summary>
    public static Tensor Rotation(Tensor axisAngle)
    {
        long b = axisAngle.shape[0];
        var v = axisAngle.reshape(b, 3);
        var angle = v.norm(1, keepdim: true);                 // [B, 1]
        var axis = v / (angle + 1e-7);
        var ca = angle.cos();
        var sa = angle.sin();
        var c1 = 1 - ca;
        var x = axis.narrow(1, 0, 1);
        var y = axis.narrow(1, 1, 1);
        var z = axis.narrow(1, 2, 1);
        var xs = x * sa; var ys = y * sa; var zs = z * sa;
        var xC = x * c1; var yC = y * c1; var zC = z * c1;
        var xyC = x * yC; var yzC = y * zC; var zxC = z * xC;
        var zero = zeros_like(x);
        var one = ones_like(x);
        var rows = new[]
        {
            cat([x * xC + ca, xyC - zs, zxC + ys, zero], 1),
            cat([xyC + zs, y * yC + ca, yzC - xs, zero], 1),
            cat([zxC - ys, yzC + xs, z * zC + ca, zero], 1),
            cat([zero, zero, zero, one], 1),
        };
        return stack(rows, 1); // [B, 4, 4]
    }

    /// <summary>[B, 1, 3] translation to a [B, 4, 4] homogeneous translation matrix.</summary>
    public static Tensor TranslationMatrix(Tensor translation)
    {
        long b = translation.shape[0];
        var t = translation.reshape(b, 3, 1);
        var eye4 = eye(4, dtype: translation.dtype, device: translation.device).unsqueeze(0).repeat(b, 1, 1);
        var top = cat([eye4.narrow(1, 0, 3).narrow(2, 0, 3), t], 2);       // [B, 3, 4]
        return cat([top, eye4.narrow(1, 3, 1)], 1);
    }
}

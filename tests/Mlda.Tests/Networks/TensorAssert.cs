using static TorchSharp.torch;

namespace Mlda.Tests.Networks;

static class TensorAssert
{
    /// <summary>Same shape and bit-identical values.</summary>
    public static bool Identical(Tensor a, Tensor b) =>
        a.shape.SequenceEqual(b.shape) && a.dtype == b.dtype && a.eq(b).all().item<bool>();

    /// <summary>‖a − b‖ / ‖b‖ in float64.</summary>
    public static double RelativeDifference(Tensor a, Tensor b)
    {
        using var scope = NewDisposeScope();
        var a64 = a.to_type(ScalarType.Float64);
        var b64 = b.to_type(ScalarType.Float64);
        return ((a64 - b64).norm() / b64.norm()).item<double>();
    }
}

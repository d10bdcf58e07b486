namespace Mlda.Core.Prediction;

/// <summary>
/// A depth network seen from outside: RGB images in [0,1] at the network size in, the scale-0 sigmoid
/// disparity out. Implemented by the TorchSharp networks (<c>Mlda.Prediction.TorchDisparityModel</c>) and by the
/// exported ONNX model (<c>Mlda.Runtime.OnnxDepthModel</c>), so prediction and deployment share every other step.
/// </summary>
public interface IDisparityModel : IDisposable
{
    /// <summary>Network input height (divisible by 32).</summary>
    int Height { get; }

    /// <summary>Network input width (divisible by 32).</summary>
    int Width { get; }

    /// <summary>
    /// <paramref name="images"/> is [batch, 3, Height, Width] float32 RGB in [0,1] (row-major); returns
    /// [batch, Height, Width], the sigmoid disparity in [0,1]. Note: the decoder's guided filter normalises its
    /// attention weights over the whole batch, so a result depends slightly on the other images of its batch.
    /// </summary>
    float[] PredictDisparity(float[] images, int batch);
}

using Mlda.Core.Prediction;

namespace Mlda.Tests.Prediction;

/// <summary>
/// A stand-in network: disparity = 0.1 + 0.8 × the red channel, so results are predictable and follow the input
/// (mirror, resize, batch) without TorchSharp. Records the batch sizes it was called with.
/// </summary>
sealed class FakeDisparityModel(int height = 64, int width = 192) : IDisparityModel
{
    public int Height => height;
    public int Width => width;
    public List<int> Batches { get; } = [];

    public float[] PredictDisparity(float[] images, int batch)
    {
        Batches.Add(batch);
        int plane = height * width;
        var result = new float[batch * plane];
        for (int b = 0; b < batch; b++)
            for (int i = 0; i < plane; i++)
                result[b * plane + i] = 0.1f + 0.8f * images[b * 3 * plane + i];
        return result;
    }

    public void Dispose() { }
}

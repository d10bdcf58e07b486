using Mlda.Core.Evaluation;
using Mlda.Core.Imaging;
using OpenCvSharp;

namespace Mlda.Core.Prediction;

/// <summary>
/// The one predictor over an <see cref="IDisparityModel"/> (the TorchSharp networks or the ONNX export), used by
/// <c>mlda eval</c>, validation during training, <c>mlda predict</c>, <c>mlda infer</c> and the server. Images of any
/// size go in through <see cref="NetworkInput"/> (PIL Lanczos to the network size); with
/// <see cref="FlipPostProcess"/> their mirror images run in the same batch, as in monodepth2's evaluate_depth.py.
/// <see cref="PredictNetworkSize(IReadOnlyList{Mat})"/> stops at the network's output (what the evaluation takes);
/// <see cref="Predict(IReadOnlyList{Mat})"/> goes on to depth at the input size: post-processing blend, bilinear
/// resize back (test_simple.py), then <see cref="DepthScaling"/>.
/// </summary>
public sealed class DepthPredictor(IDisparityModel model, DepthScaling scaling, bool flipPostProcess = false)
{
    public IDisparityModel Model => model;
    public DepthScaling Scaling => scaling;
    public bool FlipPostProcess => flipPostProcess;

    /// <summary>The sigmoid disparities of images of any size, at the network size (and the mirrored ones with flip).</summary>
    public NetworkDisparities PredictNetworkSize(IReadOnlyList<Mat> images)
    {
        if (images.Count == 0) return new NetworkDisparities([], flipPostProcess ? [] : null);
        return Run(NetworkInput.Batch(images, model.Height, model.Width, flipPostProcess), images.Count);
    }

    /// <summary>
    /// The same for images that are already network input ([count, 3, H, W] RGB in [0,1], e.g. a training batch);
    /// with flip their mirror images are appended to the batch.
    /// </summary>
    public NetworkDisparities PredictNetworkSize(float[] networkInput, int count)
    {
        if (networkInput.Length != count * 3 * model.Height * model.Width)
            throw new ArgumentException($"{networkInput.Length} values for {count} images of 3x{model.Height}x{model.Width}");
        if (count == 0) return new NetworkDisparities([], flipPostProcess ? [] : null);
        return Run(flipPostProcess ? NetworkInput.WithMirrored(networkInput, count, model.Height, model.Width) : networkInput, count);
    }

    NetworkDisparities Run(float[] input, int count)
    {
        int h = model.Height, w = model.Width, plane = h * w;
        int batch = flipPostProcess ? 2 * count : count;
        var output = model.PredictDisparity(input, batch);
        if (output.Length != batch * plane)
            throw new InvalidOperationException($"the model returned {output.Length} values for {batch} images of {w}x{h}");
        FloatMap Map(int i) => new(h, w, output.AsSpan(i * plane, plane).ToArray());
        var direct = Enumerable.Range(0, count).Select(Map).ToArray();
        var mirrored = flipPostProcess ? Enumerable.Range(count, count).Select(Map).ToArray() : null;
        return new NetworkDisparities(direct, mirrored);
    }

    public DepthPrediction Predict(Mat bgr) => Predict([bgr])[0];

    /// <summary>Depth of each image at its own size.</summary>
    public IReadOnlyList<DepthPrediction> Predict(IReadOnlyList<Mat> images)
    {
        var network = PredictNetworkSize(images);
        var results = new DepthPrediction[images.Count];
        for (int i = 0; i < images.Count; i++)
        {
            var disp = network.Sigmoid[i];
            if (network.Mirrored is { } mirrored)
                disp = DisparityPostProcess.BlendToFloat32(disp, DisparityPostProcess.FlipHorizontal(mirrored[i]));
            results[i] = Finish(InputSizeResize.Bilinear(disp, images[i].Rows, images[i].Cols));
        }
        return results;
    }

    /// <summary><c>disp_to_depth</c> of sigmoid disparities: the scaled disparity (1/depth in training units) per pixel.</summary>
    public FloatMap ScaledDisparity(FloatMap sigmoid)
    {
        var scaled = new FloatMap(sigmoid.Height, sigmoid.Width);
        for (int i = 0; i < sigmoid.Values.Length; i++) scaled.Values[i] = scaling.ScaledDisparity(sigmoid.Values[i]);
        return scaled;
    }

    DepthPrediction Finish(FloatMap disparity)
    {
        var depth = new FloatMap(disparity.Height, disparity.Width);
        for (int i = 0; i < disparity.Values.Length; i++) depth.Values[i] = scaling.Depth(disparity.Values[i]);
        return new DepthPrediction(disparity, ScaledDisparity(disparity), depth, scaling);
    }
}

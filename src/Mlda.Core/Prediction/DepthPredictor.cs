using Mlda.Core.Imaging;
using OpenCvSharp;

namespace Mlda.Core.Prediction;

/// <summary>
/// Images of any size in, depth at the same size out: network-size Lanczos input, the model, optional flip
/// post-processing (the mirrored images run in the same batch, as monodepth2's evaluation does), bilinear resize
/// back to the input size, then <see cref="DepthScaling"/>.
/// </summary>
public sealed class DepthPredictor(IDisparityModel model, DepthScaling scaling, bool flipPostProcess = false)
{
    public IDisparityModel Model => model;
    public DepthScaling Scaling => scaling;
    public bool FlipPostProcess => flipPostProcess;

    public DepthPrediction Predict(Mat bgr) => Predict([bgr])[0];

    public IReadOnlyList<DepthPrediction> Predict(IReadOnlyList<Mat> images)
    {
        if (images.Count == 0) return [];
        int n = images.Count, h = model.Height, w = model.Width, plane = 3 * h * w;
        int batch = flipPostProcess ? 2 * n : n;
        var input = new float[batch * plane];
        for (int i = 0; i < n; i++)
        {
            NetworkInput.Fill(images[i], h, w, input.AsSpan(i * plane, plane));
            if (flipPostProcess) NetworkInput.Fill(images[i], h, w, input.AsSpan((n + i) * plane, plane), flip: true);
        }
        var output = model.PredictDisparity(input, batch);
        if (output.Length != batch * h * w)
            throw new InvalidOperationException($"the model returned {output.Length} values for {batch} images of {w}x{h}");
        var results = new DepthPrediction[n];
        for (int i = 0; i < n; i++)
        {
            var disp = new FloatMap(h, w, output.AsSpan(i * h * w, h * w).ToArray());
            if (flipPostProcess)
            {
                var mirrored = Evaluation.DisparityPostProcess.FlipHorizontal(new FloatMap(h, w, output.AsSpan((n + i) * h * w, h * w).ToArray()));
                disp = Evaluation.DisparityPostProcess.BlendToFloat32(disp, mirrored);
            }
            results[i] = Finish(InputSizeResize.Bilinear(disp, images[i].Rows, images[i].Cols));
        }
        return results;
    }

    DepthPrediction Finish(FloatMap disparity)
    {
        var scaled = new FloatMap(disparity.Height, disparity.Width);
        var depth = new FloatMap(disparity.Height, disparity.Width);
        for (int i = 0; i < disparity.Values.Length; i++)
        {
            scaled.Values[i] = (float)scaling.ScaledDisparity(disparity.Values[i]);
            depth.Values[i] = scaling.Depth(disparity.Values[i]);
        }
        return new DepthPrediction(disparity, scaled, depth, scaling);
    }
}

using Mlda.Core.Imaging;
using OpenCvSharp;

namespace Mlda.Core.Visualization;

/// <summary>
/// The reference's <c>depth_predict.jpg</c> (MLDA <c>predict.py</c>/<c>inference.py</c>): the input image on
/// top and the min-max normalised disparity in grayscale below (bright = near), same width, no colour map.
/// The reference draws it at the network size; here it is drawn at the input's size, where the results are.
/// </summary>
public static class DepthFigure
{
    /// <summary>Min-max normalised grayscale (8-bit) of a map; a constant map becomes black.</summary>
    public static Mat Grayscale(FloatMap map)
    {
        float lo = float.PositiveInfinity, hi = float.NegativeInfinity;
        foreach (var v in map.Values) { if (v < lo) lo = v; if (v > hi) hi = v; }
        var gray = new byte[map.Values.Length];
        double range = hi - lo;
        for (int i = 0; i < gray.Length; i++)
            gray[i] = range > 0 ? (byte)Math.Round(255.0 * (map.Values[i] - lo) / range) : (byte)0;
        return MatBuffers.FromBytes(gray, map.Height, map.Width, 1);
    }

    /// <summary>Input (BGR, any size) above its disparity; the disparity must have the input's size.</summary>
    public static Mat Compose(Mat bgrInput, FloatMap disparity)
    {
        if (bgrInput.Rows != disparity.Height || bgrInput.Cols != disparity.Width)
            throw new ArgumentException($"image {bgrInput.Cols}x{bgrInput.Rows} but disparity {disparity.Width}x{disparity.Height}");
        using var gray = Grayscale(disparity);
        using var grayBgr = new Mat();
        Cv2.CvtColor(gray, grayBgr, ColorConversionCodes.GRAY2BGR);
        var figure = new Mat();
        Cv2.VConcat(new[] { bgrInput, grayBgr }, figure);
        return figure;
    }
}

using Mlda.Core.Imaging;
using OpenCvSharp;

namespace Mlda.Core.Visualization;

/// <summary>A video frame with the input on the left and its magma disparity on the right, both at the input size.</summary>
public static class SideBySideFrame
{
    public static Mat Compose(Mat bgrInput, FloatMap disparity)
    {
        using var colour = DisparityColormap.Apply(disparity);
        var frame = new Mat();
        Cv2.HConcat(new[] { bgrInput, colour }, frame);
        return frame;
    }
}

using Mlda.Core.Imaging;
using Mlda.Core.IO;
using Mlda.Core.Visualization;
using OpenCvSharp;

namespace Mlda.Core.Prediction;

/// <summary>
/// One prediction as the bytes of each output file: <see cref="PredictionWriter"/> writes them under their names,
/// <c>mlda serve</c> answers with them, so a file and an HTTP answer for the same image are the same bytes.
/// </summary>
public static class PredictionEncoder
{
    /// <summary><c>&lt;name&gt;_depth_predict.jpg</c>: the reference's figure.</summary>
    public static byte[] Figure(Mat bgr, DepthPrediction p)
    {
        using var figure = DepthFigure.Compose(bgr, p.Disparity);
        return Encode(".jpg", figure);
    }

    /// <summary><c>&lt;name&gt;_disp.jpeg</c>: magma disparity (monodepth2 <c>test_simple.py</c>).</summary>
    public static byte[] Magma(DepthPrediction p)
    {
        using var colour = DisparityColormap.Apply(p.Disparity);
        return Encode(".jpeg", colour);
    }

    /// <summary><c>&lt;name&gt;_disp.npy</c>: float32 (H, W), 1/depth in training units.</summary>
    public static byte[] DisparityNpy(DepthPrediction p) => Npy(p.ScaledDisparity);

    /// <summary><c>&lt;name&gt;_depth.npy</c>: float32 (H, W) depth.</summary>
    public static byte[] DepthNpy(DepthPrediction p) => Npy(p.Depth);

    /// <summary><c>&lt;name&gt;_depth.png</c>: 16-bit depth ×256.</summary>
    public static byte[] Png16(DepthPrediction p) => DepthPng.Encode(p.Depth);

    /// <summary><c>&lt;name&gt;.ply</c>: the coloured point cloud, <paramref name="intrinsics"/> defaulting to KITTI's normalised K.</summary>
    public static byte[] Ply(Mat bgr, DepthPrediction p, CameraIntrinsics? intrinsics = null, int stride = 1)
    {
        var k = intrinsics ?? CameraIntrinsics.KittiNormalised(bgr.Cols, bgr.Rows);
        // Far points are mostly sky and the saturated end of the sigmoid: keep what a depth sensor would see.
        double maxDepth = p.Scaling.IsMetric ? 80 : p.Scaling.MaxDepth;
        using var s = new MemoryStream();
        PointCloud.WritePly(s, PointCloud.FromDepth(p.Depth, bgr, k, maxDepth, stride));
        return s.ToArray();
    }

    static byte[] Npy(FloatMap map)
    {
        using var s = new MemoryStream();
        IO.Npy.WriteTo(s, NpyArray.FromFloat32(map.Values, map.Height, map.Width));
        return s.ToArray();
    }

    static byte[] Encode(string extension, Mat image)
    {
        if (!Cv2.ImEncode(extension, image, out var bytes)) throw new IOException($"OpenCV could not encode a {extension} image");
        return bytes;
    }
}

using Mlda.Core.IO;
using Mlda.Core.Imaging;
using Mlda.Core.Visualization;
using OpenCvSharp;

namespace Mlda.Core.Prediction;

/// <summary>
/// Writes one prediction in the selected formats under <see cref="OutDir"/>, each file atomically (an interrupted
/// run never leaves a truncated file under a final name).
/// </summary>
public sealed class PredictionWriter(string outDir, PredictionOutputs outputs, CameraIntrinsics? intrinsics = null, int plyStride = 1)
{
    public string OutDir => outDir;

    public IReadOnlyList<string> Write(SourceFrame frame, DepthPrediction p)
    {
        Directory.CreateDirectory(outDir);
        var name = frame.Name;
        var written = new List<string>();
        if (outputs.HasFlag(PredictionOutputs.Figure))
        {
            using var figure = DepthFigure.Compose(frame.Bgr, p.Disparity);
            written.Add(WriteImage(name + "_depth_predict.jpg", figure));
        }
        if (outputs.HasFlag(PredictionOutputs.Magma))
        {
            using var colour = DisparityColormap.Apply(p.Disparity);
            written.Add(WriteImage(name + "_disp.jpeg", colour));
        }
        if (outputs.HasFlag(PredictionOutputs.Npy))
        {
            var disp = Path.Combine(outDir, name + "_disp.npy");
            Npy.Write(disp, p.ScaledDisparity);
            written.Add(disp);
            var depth = Path.Combine(outDir, name + "_depth.npy");
            Npy.Write(depth, p.Depth);
            written.Add(depth);
        }
        if (outputs.HasFlag(PredictionOutputs.Png16))
        {
            var png = Path.Combine(outDir, name + "_depth.png");
            DepthPng.Write(png, p.Depth);
            written.Add(png);
        }
        if (outputs.HasFlag(PredictionOutputs.Ply))
        {
            var k = intrinsics ?? CameraIntrinsics.KittiNormalised(frame.Bgr.Cols, frame.Bgr.Rows);
            // Far points are mostly sky and the saturated end of the sigmoid: keep what a depth sensor would see.
            double maxDepth = p.Scaling.IsMetric ? 80 : p.Scaling.MaxDepth;
            var ply = Path.Combine(outDir, name + ".ply");
            PointCloud.WritePly(ply, PointCloud.FromDepth(p.Depth, frame.Bgr, k, maxDepth, plyStride));
            written.Add(ply);
        }
        return written;
    }

    string WriteImage(string fileName, Mat image)
    {
        var path = Path.Combine(outDir, fileName);
        ImageFile.SaveMat(path, image);
        return path;
    }
}

using Mlda.Core.IO;
using Mlda.Core.Imaging;

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
        void Put(string fileName, byte[] bytes)
        {
            var path = Path.Combine(outDir, fileName);
            AtomicFile.WriteAllBytes(path, bytes);
            written.Add(path);
        }
        if (outputs.HasFlag(PredictionOutputs.Figure)) Put(name + "_depth_predict.jpg", PredictionEncoder.Figure(frame.Bgr, p));
        if (outputs.HasFlag(PredictionOutputs.Magma)) Put(name + "_disp.jpeg", PredictionEncoder.Magma(p));
        if (outputs.HasFlag(PredictionOutputs.Npy))
        {
            Put(name + "_disp.npy", PredictionEncoder.DisparityNpy(p));
            Put(name + "_depth.npy", PredictionEncoder.DepthNpy(p));
        }
        if (outputs.HasFlag(PredictionOutputs.Png16)) Put(name + "_depth.png", PredictionEncoder.Png16(p));
        if (outputs.HasFlag(PredictionOutputs.Ply)) Put(name + ".ply", PredictionEncoder.Ply(frame.Bgr, p, intrinsics, plyStride));
        return written;
    }
}

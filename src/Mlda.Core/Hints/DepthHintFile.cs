using Mlda.Core.Imaging;
using Mlda.Core.IO;

namespace Mlda.Core.Hints;

/// <summary>
/// depth-hints' hint file: a <c>.npy</c> v1 of float32 (<c>'&lt;f4'</c>, C order), shape (1, H, W), depth in stereo
/// units (fx·0.1/disparity at the hint width), 0 = no hint. Files made by the original tool read here, and ours there.
/// </summary>
public static class DepthHintFile
{
    /// <summary>Writes atomically (a stopped job never leaves a partial hint under the final name).</summary>
    public static void Write(string path, FloatMap hint) => Npy.Write(path, hint.Values, 1, hint.Height, hint.Width);

    /// <summary>The (H, W) map of <c>np.load(path)[0]</c>; a wrong dtype or shape is an InputException naming the file.</summary>
    public static FloatMap Read(string path)
    {
        if (!File.Exists(path)) throw new InputException(path, "depth hint file not found");
        var array = Npy.Read(path);
        if (array.Dtype != "<f4") throw new InputException(path, $"depth hint must be float32 ('<f4'), found '{array.Dtype}'");
        if (array.Shape.Length != 3 || array.Shape[0] != 1)
            throw new InputException(path, $"depth hint must have shape (1, H, W), found ({string.Join(", ", array.Shape)})");
        return new FloatMap(array.Shape[1], array.Shape[2], array.ToFloat32());
    }

    /// <summary>
    /// The hint as the training loader uses it (depth-hints / MLDA <c>mono_dataset.py</c>): <c>np.load(p)[0]</c>,
    /// mirrored when the training image is (<paramref name="flip"/>), then
    /// <c>cv2.resize(hint, (width, height), interpolation=cv2.INTER_NEAREST)</c>, in that order.
    /// </summary>
    public static FloatMap ReadForTraining(string path, int width, int height, bool flip)
    {
        var hint = Read(path);
        if (flip) hint = Evaluation.DisparityPostProcess.FlipHorizontal(hint);
        return NearestResize.OpenCv(hint, height, width);
    }
}

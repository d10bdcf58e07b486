using Mlda.Core.Imaging;
using Mlda.Core.IO;

namespace Mlda.Core.Evaluation;

/// <summary>
/// Predicted disparities from a <c>.npy</c> (monodepth2's <c>--ext_disp_to_eval</c>): float32 (N, H, W) in split
/// order, N = the split's line count. For post-processing the array is (2N, H, W): the N disparities, then the N
/// disparities predicted for the horizontally flipped images, still mirrored (the reference's
/// <c>cat(img, flip(img))</c> batch order).
/// </summary>
public sealed record ExternalDisparities(IReadOnlyList<FloatMap> Disparities, IReadOnlyList<FloatMap>? Mirrored)
{
    /// <summary>Reads and checks dtype, shape, count and values; every mismatch is an InputException naming the file.</summary>
    public static ExternalDisparities Read(string path, int splitCount, string splitPath, bool postProcess)
    {
        var array = Npy.Read(path);
        if (array.Dtype != "<f4")
            throw new InputException(path, $"disparities must be float32 ('<f4'), got '{array.Dtype}'");
        bool shapeOk = array.Shape.Length == 3 || array.Shape.Length == 4 && array.Shape[1] == 1;
        if (!shapeOk)
            throw new InputException(path, $"disparities must be an (N, H, W) array, got shape ({string.Join(", ", array.Shape)})");
        int n = array.Shape[0];
        int expected = postProcess ? 2 * splitCount : splitCount;
        if (n != expected)
            throw new InputException(path, postProcess
                ? $"{n} disparities, but --post-process needs 2 x {splitCount} (the lines of {splitPath}): the images, then their mirrored predictions"
                : $"{n} disparities, but {splitPath} has {splitCount} lines");
        var maps = Npy.ToFloatMaps(array, path);
        for (int i = 0; i < maps.Count; i++)
        {
            var v = maps[i].Values;
            for (int k = 0; k < v.Length; k++)
                if (!float.IsFinite(v[k]))
                    throw new InputException(path, $"disparity {i} has a non-finite value ({v[k]}) at row {k / maps[i].Width}, column {k % maps[i].Width}");
        }
        return postProcess
            ? new ExternalDisparities(maps.Take(splitCount).ToList(), maps.Skip(splitCount).ToList())
            : new ExternalDisparities(maps, null);
    }
}

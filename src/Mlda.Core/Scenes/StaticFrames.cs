using Mlda.Core.Imaging;
using OpenCvSharp;

namespace Mlda.Core.Scenes;

/// <summary>
/// Finds the frames at which the camera stands still, measured on the images: a target whose two neighbours are
/// both nearly identical to it teaches nothing (every pose explains it) and pulls the depth towards the identity
/// mask's blind spots, so training skips it, as monodepth2's static-frame list does for KITTI
/// (Zhou et al.'s filter, which KITTI's splits already apply). Two frames are nearly identical when the mean
/// absolute difference of their grey thumbnails (area-averaged to at most 128 pixels wide, which averages sensor
/// and compression noise away) is below <see cref="Threshold"/> grey levels.
/// </summary>
public sealed class StaticFrames
{
    /// <summary>Grey levels (0-255) below which two thumbnails count as the same view.</summary>
    public const double Threshold = 1.0;
    const int ThumbnailWidth = 128;

    /// <summary>
    /// For every frame of <paramref name="scene"/> that has both neighbours, whether it is static; index i of the
    /// result is frame i (the first and last frames are never targets and read false).
    /// </summary>
    public static bool[] Detect(SceneFolder scene, double threshold = Threshold)
    {
        var thumbs = new Mat?[scene.Frames.Count];
        try
        {
            Parallel.For(0, scene.Frames.Count, i => thumbs[i] = Thumbnail(scene.Frames[i]));
            var diff = new double[scene.Frames.Count];
            for (int i = 1; i < diff.Length; i++) diff[i] = MeanAbsoluteDifference(thumbs[i - 1]!, thumbs[i]!);
            var result = new bool[scene.Frames.Count];
            for (int i = 1; i + 1 < result.Length; i++) result[i] = diff[i] < threshold && diff[i + 1] < threshold;
            return result;
        }
        finally
        {
            foreach (var t in thumbs) t?.Dispose();
        }
    }

    /// <summary>Mean absolute grey-level difference of two thumbnails.</summary>
    public static double MeanAbsoluteDifference(Mat a, Mat b)
    {
        using var d = new Mat();
        Cv2.Absdiff(a, b, d);
        return Cv2.Mean(d).Val0;
    }

    public static Mat Thumbnail(string file)
    {
        using var bgr = ImageFile.LoadBgrMat(file);
        using var grey = new Mat();
        Cv2.CvtColor(bgr, grey, ColorConversionCodes.BGR2GRAY);
        int w = Math.Min(ThumbnailWidth, grey.Cols), h = Math.Max(1, (int)Math.Round((double)grey.Rows * w / grey.Cols));
        var thumb = new Mat();
        Cv2.Resize(grey, thumb, new Size(w, h), interpolation: InterpolationFlags.Area);
        var f = new Mat();
        thumb.ConvertTo(f, MatType.CV_32F);
        thumb.Dispose();
        return f;
    }
}

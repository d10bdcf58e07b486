using Mlda.Core.Imaging;
using OpenCvSharp;

namespace Mlda.Core.Prediction;

public enum SourceKind { Image, Folder, Video }

/// <summary>One input image: its name stem (for output files), its frame number and the BGR pixels (owned by the caller).</summary>
public sealed record SourceFrame(string Name, int Index, Mat Bgr, string Origin);

/// <summary>
/// What <c>mlda predict</c>/<c>mlda infer</c> read: one image, a folder of images (sorted by name, not recursive)
/// or a video (anything OpenCV's FFmpeg back end opens). Problems are reported as <see cref="InputException"/>
/// before any output is written: a missing path, a folder without images, a file that is not an image.
/// </summary>
public sealed class PredictionSource
{
    public static readonly string[] ImageExtensions = [".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".webp"];
    public static readonly string[] VideoExtensions = [".mp4", ".avi", ".mkv", ".mov", ".webm", ".m4v", ".mpg", ".mpeg"];

    public string Path { get; }
    public SourceKind Kind { get; }
    public IReadOnlyList<string> Files { get; }

    /// <summary>Frame rate of a video source (for the output video), else 0.</summary>
    public double FramesPerSecond { get; }

    /// <summary>Number of frames (a video's: the frames that decode, which <see cref="Open"/> checks against its container's claim).</summary>
    public int Count { get; }

    PredictionSource(string path, SourceKind kind, IReadOnlyList<string> files, double fps, int count)
    {
        Path = path; Kind = kind; Files = files; FramesPerSecond = fps; Count = count;
    }

    public static PredictionSource Open(string path)
    {
        if (Directory.Exists(path))
        {
            var files = Directory.EnumerateFiles(path)
                .Where(f => ImageExtensions.Contains(System.IO.Path.GetExtension(f).ToLowerInvariant()))
                .Order(StringComparer.Ordinal).ToList();
            if (files.Count == 0)
                throw new InputException(path, $"folder has no images ({string.Join(", ", ImageExtensions)})");
            foreach (var f in files)
                if (!Cv2.HaveImageReader(f)) throw new InputException(f, "not a readable image");
            return new PredictionSource(path, SourceKind.Folder, files, 0, files.Count);
        }
        if (!File.Exists(path)) throw new InputException(path, "no such file or folder");
        var ext = System.IO.Path.GetExtension(path).ToLowerInvariant();
        if (VideoExtensions.Contains(ext))
        {
            using var capture = new VideoCapture(path);
            if (!capture.IsOpened()) throw new InputException(path, "OpenCV cannot open this video");
            int claimed = (int)capture.Get(VideoCaptureProperties.FrameCount);
            double fps = capture.Get(VideoCaptureProperties.Fps);
            using var first = new Mat();
            if (!capture.Read(first) || first.Empty()) throw new InputException(path, "video has no readable frame");
            // FFmpeg stops at the first undecodable packet with only a log line: count what decodes, before any output.
            int count = 1;
            while (capture.Grab()) count++;
            if (claimed > 0 && count < claimed)
                throw new InputException(path, $"truncated video: its container claims {claimed} frames, {count} decode ({claimed - count} lost)");
            return new PredictionSource(path, SourceKind.Video, [path], fps > 0 && double.IsFinite(fps) ? fps : 10, count);
        }
        if (!Cv2.HaveImageReader(path)) throw new InputException(path, "not a readable image (and not a video by its extension)");
        return new PredictionSource(path, SourceKind.Image, [path], 0, 1);
    }

    /// <summary>The frames in order; each <see cref="SourceFrame.Bgr"/> is disposed by the consumer.</summary>
    public IEnumerable<SourceFrame> Frames()
    {
        if (Kind == SourceKind.Video)
        {
            using var capture = new VideoCapture(Path);
            if (!capture.IsOpened()) throw new InputException(Path, "OpenCV cannot open this video");
            var stem = System.IO.Path.GetFileNameWithoutExtension(Path);
            for (int i = 0; ; i++)
            {
                var frame = new Mat();
                if (!capture.Read(frame) || frame.Empty()) { frame.Dispose(); yield break; }
                yield return new SourceFrame($"{stem}_{i:D6}", i, ToBgr(frame, Path), Path);
            }
        }
        for (int i = 0; i < Files.Count; i++)
        {
            var file = Files[i];
            yield return new SourceFrame(System.IO.Path.GetFileNameWithoutExtension(file), i, ReadImage(file), file);
        }
    }

    /// <summary>Reads an image as 8-bit BGR (gray and 16-bit images are converted); <see cref="InputException"/> when unreadable.</summary>
    public static Mat ReadImage(string file)
    {
        return ToBgr(ImageFile.LoadBgrMat(file), file);
    }

    /// <summary>
    /// Decodes an image file's bytes (an upload) as <see cref="ReadImage"/> reads the file: the same OpenCV decoder,
    /// flags and conversion, so both give the same pixels; <see cref="InputException"/> naming <paramref name="origin"/>.
    /// </summary>
    public static Mat DecodeImage(byte[] bytes, string origin)
    {
        Mat mat;
        try { mat = Cv2.ImDecode(bytes, ImreadModes.Color); }
        catch (OpenCVException e) { throw new InputException(origin, "not a decodable image: " + e.Message); }
        if (mat.Empty()) { mat.Dispose(); throw new InputException(origin, "not a decodable image"); }
        return ToBgr(mat, origin);
    }

    static Mat ToBgr(Mat mat, string origin)
    {
        if (mat.Type() == MatType.CV_8UC3) return mat;
        try
        {
            var converted = new Mat();
            if (mat.Channels() == 1) Cv2.CvtColor(mat, converted, ColorConversionCodes.GRAY2BGR);
            else if (mat.Channels() == 4) Cv2.CvtColor(mat, converted, ColorConversionCodes.BGRA2BGR);
            else mat.CopyTo(converted);
            if (converted.Depth() != MatType.CV_8U) converted.ConvertTo(converted, MatType.CV_8UC3, 255.0 / 65535.0);
            return converted;
        }
        catch (OpenCVException e) { throw new InputException(origin, "unsupported image format: " + e.Message); }
        finally { mat.Dispose(); }
    }
}

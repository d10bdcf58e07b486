using Mlda.Core.Imaging;
using Mlda.Core.IO;
using OpenCvSharp;

namespace Mlda.Core.Scenes;

/// <summary>
/// What <see cref="VideoFrames.Extract"/> keeps: every frame by default, or about <see cref="Fps"/> frames a second,
/// or every <see cref="Every"/>-th frame, between <see cref="Start"/> and <see cref="End"/> seconds.
/// </summary>
public sealed record VideoFrameOptions(double? Fps = null, int? Every = null, double Start = 0, double? End = null,
                                       CameraIntrinsics? Intrinsics = null, int JpegQuality = 95)
{
    public void Validate()
    {
        if (Fps is not null && Every is not null) throw new InputException(null, "give --fps or --every, not both");
        if (Fps is { } f && !(f > 0)) throw new InputException(null, $"--fps must be positive, got {f}");
        if (Every is < 1) throw new InputException(null, $"--every must be at least 1, got {Every}");
        if (!(Start >= 0)) throw new InputException(null, $"--start must be zero or positive, got {Start}");
        if (End is { } e && !(e > Start)) throw new InputException(null, $"--end ({e}) must come after --start ({Start})");
        if (JpegQuality is < 1 or > 100) throw new InputException(null, $"JPEG quality must be 1..100, got {JpegQuality}");
    }
}

/// <summary>What an extraction wrote.</summary>
public sealed record VideoFramesSummary(int Read, int Written, double VideoFps, int Width, int Height, bool WroteCamera, IReadOnlyList<string> Warnings);

/// <summary>
/// <c>mlda frames</c>: a video (anything OpenCV's FFmpeg back end reads) to one scene of a scene folder: JPEG frames
/// named by their frame number in the video (<c>000123.jpg</c>, so file-name order is time order) and, when
/// intrinsics are given, <c>cam.txt</c>. Self-supervised training wants about 10 frames per second of motion
/// (KITTI's rate): a 30 fps dash-cam is usually best at <c>--fps 10</c>. The video is checked before anything is
/// written, and every frame is written atomically.
/// </summary>
public static class VideoFrames
{
    public static VideoFramesSummary Extract(string video, string outDir, VideoFrameOptions options,
                                             IProgress<ProgressUpdate>? progress = null, CancellationToken ct = default)
    {
        options.Validate();
        if (!File.Exists(video)) throw new InputException(video, "video not found");
        using var capture = new VideoCapture(video);
        if (!capture.IsOpened()) throw new InputException(video, "not a readable video (OpenCV/FFmpeg cannot open it)");
        double fps = capture.Get(VideoCaptureProperties.Fps);
        if (!(fps > 0) || !double.IsFinite(fps)) fps = 30; // containers without a rate: assume the common one
        int claimed = Math.Max(0, (int)capture.Get(VideoCaptureProperties.FrameCount));
        using var first = new Mat();
        if (!capture.Read(first) || first.Empty()) throw new InputException(video, "not a readable video (no frame decodes)");
        int width = first.Cols, height = first.Rows;
        var warnings = new List<string>();
        if (options.Intrinsics is { } k) warnings.AddRange(CameraFile.Check(k, width, height, "--intrinsics"));

        Directory.CreateDirectory(outDir);
        if (options.Intrinsics is { } cam) CameraFile.Write(Path.Combine(outDir, CameraFile.Name), cam);
        int read = 0, written = 0;
        long lastBucket = -1;
        var frame = first.Clone();
        try
        {
            while (true)
            {
                ct.ThrowIfCancellationRequested();
                int index = read++;
                double t = index / fps;
                if (options.End is { } end && t >= end) break;
                if (t >= options.Start && Keep(t - options.Start, fps, options, ref lastBucket))
                {
                    if (frame.Cols != width || frame.Rows != height)
                        throw new InputException(video, $"frame {index} is {frame.Cols}x{frame.Rows}, the first is {width}x{height}");
                    var path = Path.Combine(outDir, $"{index:D6}.jpg");
                    var bgr = frame;
                    AtomicFile.Write(path, tmp =>
                    {
                        if (!Cv2.ImWrite(tmp, bgr, new ImageEncodingParam(ImwriteFlags.JpegQuality, options.JpegQuality)))
                            throw new IOException($"{path}: OpenCV could not write the JPEG");
                    });
                    written++;
                }
                progress?.Report(new ProgressUpdate("frames", read, Math.Max(read, claimed), $"{written} written"));
                if (!capture.Read(frame) || frame.Empty()) break;
            }
        }
        finally
        {
            frame.Dispose();
        }
        if (written < 3) warnings.Add($"{outDir}: only {written} frame(s) written; a scene needs at least 3");
        return new VideoFramesSummary(read, written, fps, width, height, options.Intrinsics is not null, warnings);
    }

    /// <summary>Every frame; or every K-th from the start; or the first frame of each 1/fps interval.</summary>
    static bool Keep(double sinceStart, double videoFps, VideoFrameOptions o, ref long lastBucket)
    {
        if (o.Every is { } every) return (long)Math.Round(sinceStart * videoFps) % every == 0;
        if (o.Fps is not { } rate) return true;
        long bucket = (long)Math.Floor(sinceStart * rate + 1e-9);
        if (bucket == lastBucket) return false;
        lastBucket = bucket;
        return true;
    }
}

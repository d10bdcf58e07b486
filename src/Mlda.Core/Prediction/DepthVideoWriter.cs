using Mlda.Core.Visualization;
using OpenCvSharp;

namespace Mlda.Core.Prediction;

/// <summary>
/// A video of input and magma disparity side by side. Frames go to a temporary sibling file that is renamed
/// into place by <see cref="Complete"/>; disposing without completing deletes it (nothing half-written).
/// </summary>
public sealed class DepthVideoWriter : IDisposable
{
    readonly string _path;
    readonly string _tmp;
    readonly double _fps;
    VideoWriter? _writer;
    Size _size;

    public string Path => _path;
    public int FrameCount { get; private set; }

    public DepthVideoWriter(string path, double fps)
    {
        _path = System.IO.Path.GetFullPath(path);
        var dir = System.IO.Path.GetDirectoryName(_path)!;
        Directory.CreateDirectory(dir);
        _tmp = System.IO.Path.Combine(dir, $".{System.IO.Path.GetFileNameWithoutExtension(_path)}.{Guid.NewGuid():N}.tmp{System.IO.Path.GetExtension(_path)}");
        _fps = fps;
    }

    public void Add(Mat bgrInput, Imaging.FloatMap disparity)
    {
        using var frame = SideBySideFrame.Compose(bgrInput, disparity);
        if (_writer is null)
        {
            _size = frame.Size();
            // lower-case 'mp4v' is the tag FFmpeg's mp4 muxer expects (upper case makes it warn and fall back).
            _writer = new VideoWriter(_tmp, FourCC.FromFourChars('m', 'p', '4', 'v'), _fps, _size);
            if (!_writer.IsOpened()) throw new IOException($"{_path}: OpenCV cannot write an mp4v video");
        }
        if (frame.Size() != _size) throw new InputException(_path, $"frame {FrameCount} is {frame.Width}x{frame.Height}, the video {_size.Width}x{_size.Height}");
        _writer.Write(frame);
        FrameCount++;
    }

    public void Complete()
    {
        if (_writer is null) throw new InvalidOperationException("no frame was written");
        _writer.Release();
        _writer.Dispose();
        _writer = null;
        File.Move(_tmp, _path, overwrite: true);
    }

    public void Dispose()
    {
        _writer?.Dispose();
        _writer = null;
        if (File.Exists(_tmp)) File.Delete(_tmp);
    }
}

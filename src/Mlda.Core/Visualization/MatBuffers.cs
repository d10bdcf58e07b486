using System.Runtime.InteropServices;
using OpenCvSharp;

namespace Mlda.Core.Visualization;

/// <summary>Row-by-row copies between OpenCV images and managed arrays (no per-pixel P/Invoke).</summary>
public static class MatBuffers
{
    /// <summary>The pixels of an 8-bit image, row-major, channels interleaved (BGR for colour images).</summary>
    public static byte[] Bytes(Mat mat)
    {
        if (mat.Depth() != MatType.CV_8U) throw new ArgumentException($"expected an 8-bit image, got {mat.Type()}");
        int rows = mat.Rows, stride = mat.Cols * mat.Channels();
        var data = new byte[rows * stride];
        for (int y = 0; y < rows; y++) Marshal.Copy(mat.Ptr(y), data, y * stride, stride);
        return data;
    }

    /// <summary>A new 8-bit Mat with <paramref name="channels"/> channels holding a copy of <paramref name="data"/>.</summary>
    public static Mat FromBytes(byte[] data, int rows, int cols, int channels)
    {
        int stride = cols * channels;
        if (data.Length != rows * stride) throw new ArgumentException("size mismatch");
        var mat = new Mat(rows, cols, MatType.CV_8UC(channels));
        for (int y = 0; y < rows; y++) Marshal.Copy(data, y * stride, mat.Ptr(y), stride);
        return mat;
    }

    /// <summary>The values of a 16-bit unsigned single-channel image, row-major.</summary>
    public static ushort[] UInt16(Mat mat)
    {
        if (mat.Type() != MatType.CV_16UC1) throw new ArgumentException($"expected CV_16UC1, got {mat.Type()}");
        int rows = mat.Rows, cols = mat.Cols;
        var shorts = new short[rows * cols];
        for (int y = 0; y < rows; y++) Marshal.Copy(mat.Ptr(y), shorts, y * cols, cols);
        return MemoryMarshal.Cast<short, ushort>(shorts).ToArray();
    }

    public static Mat FromUInt16(ushort[] data, int rows, int cols)
    {
        if (data.Length != rows * cols) throw new ArgumentException("size mismatch");
        var shorts = MemoryMarshal.Cast<ushort, short>(data).ToArray();
        var mat = new Mat(rows, cols, MatType.CV_16UC1);
        for (int y = 0; y < rows; y++) Marshal.Copy(shorts, y * cols, mat.Ptr(y), cols);
        return mat;
    }
}

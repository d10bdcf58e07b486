using System.Buffers.Binary;

namespace Mlda.Core.Imaging;

/// <summary>
/// The pixel size of a PNG or JPEG read from its header alone, so a folder of frames can be checked for one size
/// before anything is decoded.
/// </summary>
public static class ImageHeader
{
    /// <exception cref="InputException">missing file, or neither a PNG nor a JPEG with a frame header</exception>
    public static (int Width, int Height) ReadSize(string path)
    {
        if (!File.Exists(path)) throw new InputException(path, "image file not found");
        using var s = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096);
        var head = new byte[24];
        int n = s.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        if (n >= 24 && head[0] == 0x89 && head[1] == (byte)'P' && head[2] == (byte)'N' && head[3] == (byte)'G')
            return ((int)BinaryPrimitives.ReadUInt32BigEndian(head.AsSpan(16)), (int)BinaryPrimitives.ReadUInt32BigEndian(head.AsSpan(20)));
        if (n >= 4 && head[0] == 0xFF && head[1] == 0xD8)
        {
            s.Position = 2;
            return JpegSize(s, path);
        }
        throw new InputException(path, "not a PNG or JPEG image");
    }

    /// <summary>Walks the JPEG markers to the first start-of-frame (SOF0-SOF15 except DHT, JPG and DAC).</summary>
    static (int, int) JpegSize(Stream s, string path)
    {
        var buf = new byte[7];
        while (true)
        {
            int b = s.ReadByte();
            if (b < 0) break;
            if (b != 0xFF) throw new InputException(path, "corrupt JPEG: marker expected");
            int marker;
            do marker = s.ReadByte(); while (marker == 0xFF);
            if (marker < 0) break;
            if (marker is 0xD8 or 0x01 or (>= 0xD0 and <= 0xD7)) continue; // markers without a length
            if (marker == 0xD9) break;
            if (s.ReadAtLeast(buf.AsSpan(0, 2), 2, throwOnEndOfStream: false) < 2) break;
            int length = BinaryPrimitives.ReadUInt16BigEndian(buf);
            if (marker is >= 0xC0 and <= 0xCF and not (0xC4 or 0xC8 or 0xCC))
            {
                if (s.ReadAtLeast(buf.AsSpan(0, 5), 5, throwOnEndOfStream: false) < 5) break;
                return (BinaryPrimitives.ReadUInt16BigEndian(buf.AsSpan(3)), BinaryPrimitives.ReadUInt16BigEndian(buf.AsSpan(1)));
            }
            s.Seek(length - 2, SeekOrigin.Current);
        }
        throw new InputException(path, "truncated JPEG: no frame header");
    }
}

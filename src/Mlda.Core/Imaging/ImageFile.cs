using OpenCvSharp;

namespace Mlda.Core.Imaging;

/// <summary>
/// Image files read the way the reference's <c>pil_loader</c> reads them (<c>Image.open(f).convert('RGB')</c>):
/// any PNG/JPEG (grey, colour, 16-bit) becomes 8-bit RGB. Decoding is OpenCV's; PNG decodes bit-exactly as in
/// PIL, JPEG may differ by a grey level where the two libjpeg builds differ.
/// </summary>
public static class ImageFile
{
    /// <summary>Reads <paramref name="path"/> as an 8-bit RGB image.</summary>
    /// <exception cref="InputException">the file is missing or not a readable image</exception>
    public static ByteImage LoadRgb(string path)
    {
        using var bgr = LoadBgrMat(path);
        using var rgb = new Mat();
        Cv2.CvtColor(bgr, rgb, ColorConversionCodes.BGR2RGB);
        return ByteImage.FromMat(rgb);
    }

    /// <summary>Reads <paramref name="path"/> as an 8-bit BGR Mat (OpenCV's own channel order).</summary>
    /// <exception cref="InputException">the file is missing, truncated or not a readable image</exception>
    public static Mat LoadBgrMat(string path)
    {
        if (!File.Exists(path)) throw new InputException(path, "image file not found");
        RejectTruncatedJpeg(path);
        Mat mat;
        try
        {
            mat = Cv2.ImRead(path, ImreadModes.Color);
        }
        catch (OpenCVException e)
        {
            throw new InputException(path, $"cannot decode image ({e.Message})", inner: e);
        }
        if (mat.Empty())
        {
            mat.Dispose();
            throw new InputException(path, "not a readable image (empty, truncated or unknown format)");
        }
        return mat;
    }

    /// <summary>
    /// libjpeg decodes a JPEG cut short with only a warning ("Premature end of JPEG file") and grey rows for what is
    /// missing; a JPEG (magic FF D8) must therefore end with its EOI marker FF D9 (trailing zero padding allowed).
    /// </summary>
    static void RejectTruncatedJpeg(string path)
    {
        using var s = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
        if (s.Length < 2 || s.ReadByte() != 0xFF || s.ReadByte() != 0xD8) return; // not a JPEG
        int tail = (int)Math.Min(s.Length - 2, 4096);
        var end = new byte[tail];
        s.Seek(-tail, SeekOrigin.End);
        s.ReadExactly(end);
        int i = end.Length - 1;
        while (i >= 0 && end[i] == 0) i--;
        if (i < 1 || end[i] != 0xD9 || end[i - 1] != 0xFF)
            throw new InputException(path, "truncated JPEG: no end-of-image marker (FF D9), the file was cut short");
    }

    /// <summary>
    /// Encodes a Mat (BGR, grey or 16-bit grey) in the format of the extension (.png, .jpg) and writes it atomically.
    /// Encoding is in memory, so a failing disk is reported by .NET instead of being missed by the codec's own writer.
    /// </summary>
    public static void SaveMat(string path, Mat image)
    {
        var ext = Path.GetExtension(path);
        byte[] bytes;
        try
        {
            if (!Cv2.ImEncode(ext, image, out bytes)) throw new InputException(path, $"OpenCV cannot encode a '{ext}' image");
        }
        catch (OpenCVException e)
        {
            throw new InputException(path, $"OpenCV cannot encode a '{ext}' image ({e.Message})", inner: e);
        }
        IO.AtomicFile.WriteAllBytes(path, bytes);
    }

    /// <summary>Writes an RGB (or grey) image; the format follows the extension (.png, .jpg).</summary>
    public static void SaveRgb(string path, ByteImage image)
    {
        using var mat = image.ToMat();
        using var bgr = new Mat();
        if (image.Channels == 3) Cv2.CvtColor(mat, bgr, ColorConversionCodes.RGB2BGR);
        else mat.CopyTo(bgr);
        SaveMat(path, bgr);
    }
}

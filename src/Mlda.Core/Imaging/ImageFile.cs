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
    /// <exception cref="InputException">the file is missing or not a readable image</exception>
    public static Mat LoadBgrMat(string path)
    {
        if (!File.Exists(path)) throw new InputException(path, "image file not found");
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

    /// <summary>Writes an RGB (or grey) image; the format follows the extension (.png, .jpg).</summary>
    public static void SaveRgb(string path, ByteImage image)
    {
        using var mat = image.ToMat();
        using var bgr = new Mat();
        if (image.Channels == 3) Cv2.CvtColor(mat, bgr, ColorConversionCodes.RGB2BGR);
        else mat.CopyTo(bgr);
        var ext = Path.GetExtension(path);
        IO.AtomicFile.Write(path, tmp =>
        {
            // The temporary name keeps the extension, so OpenCV picks the right encoder.
            if (!Cv2.ImWrite(tmp, bgr)) throw new IOException($"{path}: OpenCV could not write a '{ext}' image");
        });
    }
}

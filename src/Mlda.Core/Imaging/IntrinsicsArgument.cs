using System.Globalization;

namespace Mlda.Core.Imaging;

/// <summary>The <c>--intrinsics fx,fy,cx,cy</c> argument (pixels of the input images), shared by every command that takes it.</summary>
public static class IntrinsicsArgument
{
    /// <exception cref="InputException">not four finite numbers, or a focal length that is not positive</exception>
    public static CameraIntrinsics Parse(string text, string option = "--intrinsics")
    {
        var parts = text.Split(',').Select(p => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : double.NaN).ToArray();
        if (parts.Length != 4 || parts.Any(v => !double.IsFinite(v)) || parts[0] <= 0 || parts[1] <= 0)
            throw new InputException(null, $"{option} '{text}' is not fx,fy,cx,cy (pixels, positive focal lengths)");
        return new CameraIntrinsics(parts[0], parts[1], parts[2], parts[3]);
    }
}

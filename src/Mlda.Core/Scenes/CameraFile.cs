using System.Globalization;
using Mlda.Core.Imaging;
using Mlda.Core.IO;

namespace Mlda.Core.Scenes;

/// <summary>
/// A scene's <c>cam.txt</c>: the 3x3 pinhole matrix in pixels of its images, three lines of three numbers (spaces or
/// commas), as SfMLearner and SC-Depth write it; SfMLearner's single line of nine numbers is read too.
/// </summary>
public static class CameraFile
{
    public const string Name = "cam.txt";

    /// <exception cref="InputException">missing file, or a line that is not numbers of a skew-free pinhole matrix (file and line named)</exception>
    public static CameraIntrinsics Read(string path)
    {
        if (!File.Exists(path)) throw new InputException(path, "camera intrinsics not found (write cam.txt with the 3x3 matrix in pixels, or pass --intrinsics fx,fy,cx,cy)");
        var lines = File.ReadAllLines(path).Select((text, i) => (Text: text.Trim(), Line: i + 1)).Where(l => l.Text.Length > 0).ToList();
        var values = new List<(double Value, int Line)>();
        foreach (var (text, line) in lines)
        {
            var tokens = text.Split([' ', '\t', ','], StringSplitOptions.RemoveEmptyEntries);
            if (lines.Count != 1 && tokens.Length != 3)
                throw new InputException(path, $"expected three numbers per line (a row of the 3x3 matrix), got '{text}'", line);
            foreach (var t in tokens)
            {
                if (!double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v))
                    throw new InputException(path, $"'{t}' is not a number", line);
                values.Add((v, line));
            }
        }
        if (values.Count != 9)
            throw new InputException(path, $"expected a 3x3 matrix (9 numbers in three lines), got {values.Count} numbers", lines.Count == 0 ? null : lines[^1].Line);
        double At(int r, int c) => values[3 * r + c].Value;
        int LineOf(int r) => values[3 * r].Line;
        if (At(2, 0) != 0 || At(2, 1) != 0 || At(2, 2) != 1) throw new InputException(path, "the third row of the matrix must be 0 0 1", LineOf(2));
        if (At(1, 0) != 0) throw new InputException(path, "the second row must be 0 fy cy", LineOf(1));
        if (At(0, 1) != 0) throw new InputException(path, "a skewed camera (K[0,1] != 0) is not supported", LineOf(0));
        if (!(At(0, 0) > 0)) throw new InputException(path, $"focal length fx must be positive, got {At(0, 0)}", LineOf(0));
        if (!(At(1, 1) > 0)) throw new InputException(path, $"focal length fy must be positive, got {At(1, 1)}", LineOf(1));
        return new CameraIntrinsics(At(0, 0), At(1, 1), At(0, 2), At(1, 2));
    }

    /// <summary>Writes <paramref name="k"/> as three lines (atomically).</summary>
    public static void Write(string path, CameraIntrinsics k)
    {
        string F(double v) => v.ToString("0.######", CultureInfo.InvariantCulture);
        AtomicFile.WriteAllText(path, $"{F(k.Fx)} 0 {F(k.Cx)}\n0 {F(k.Fy)} {F(k.Cy)}\n0 0 1\n");
    }

    /// <summary>
    /// Checks intrinsics against the image size they describe: a focal length that is not positive or a principal
    /// point outside the image is an error; a principal point more than a tenth of the image off centre is a warning,
    /// because training flips images horizontally and a flip then changes the camera (monodepth2's own caveat).
    /// </summary>
    /// <returns>the warnings (empty when the camera is ordinary)</returns>
    public static IReadOnlyList<string> Check(CameraIntrinsics k, int width, int height, string source)
    {
        if (!(k.Fx > 0 && k.Fy > 0)) throw new InputException(source, $"focal lengths must be positive, got fx {k.Fx}, fy {k.Fy}");
        if (!(k.Cx >= 0 && k.Cx <= width && k.Cy >= 0 && k.Cy <= height))
            throw new InputException(source, $"principal point ({k.Cx}, {k.Cy}) lies outside the {width}x{height} image: are these intrinsics for another image size?");
        var warnings = new List<string>();
        if (Math.Abs(k.Cx / width - 0.5) > 0.1 || Math.Abs(k.Cy / height - 0.5) > 0.1)
            warnings.Add($"{source}: principal point ({k.Cx:0.#}, {k.Cy:0.#}) is far from the centre of the {width}x{height} image; horizontal flips (training augmentation) then change the camera geometry");
        return warnings;
    }

    /// <summary>
    /// The intrinsics normalised by the image size (fx/W, fy/H, cx/W, cy/H): what monodepth2's datasets keep and
    /// rescale to each network scale (<c>mono_dataset.py __getitem__</c>).
    /// </summary>
    public static CameraIntrinsics Normalised(CameraIntrinsics k, int width, int height) =>
        new(k.Fx / width, k.Fy / height, k.Cx / width, k.Cy / height);
}

using System.Globalization;

namespace Mlda.Core.Kitti;

/// <summary>
/// A KITTI calibration text file (<c>calib_cam_to_cam.txt</c>, <c>calib_velo_to_cam.txt</c>, <c>calib_imu_to_velo.txt</c>):
/// lines <c>key: v v v</c>. Every key is kept. Values are numbers (row-major for matrices), except
/// <c>calib_time</c>, which is text. monodepth2's <c>read_calib_file</c> silently keeps a value with a stray character
/// as a string; here a value that is not all numbers is an error naming the file and line, so a damaged file
/// cannot become a wrong matrix later.
/// </summary>
public sealed class CalibrationFile
{
    /// <summary>Keys whose values are text, not numbers.</summary>
    static readonly HashSet<string> TextKeys = new(StringComparer.Ordinal) { "calib_time" };

    readonly Dictionary<string, double[]> _numbers;
    readonly Dictionary<string, string> _texts;
    readonly Dictionary<string, int> _lines;

    public string Path { get; }

    /// <summary>Numeric keys in file order → values.</summary>
    public IReadOnlyDictionary<string, double[]> Numbers => _numbers;

    /// <summary>Text keys (<c>calib_time</c>) → value.</summary>
    public IReadOnlyDictionary<string, string> Texts => _texts;

    CalibrationFile(string path, Dictionary<string, double[]> numbers, Dictionary<string, string> texts, Dictionary<string, int> lines)
    {
        Path = path;
        _numbers = numbers;
        _texts = texts;
        _lines = lines;
    }

    public static CalibrationFile Read(string path)
    {
        if (!File.Exists(path)) throw new InputException(path, "calibration file not found");
        var numbers = new Dictionary<string, double[]>(StringComparer.Ordinal);
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        var lines = new Dictionary<string, int>(StringComparer.Ordinal);
        int lineNo = 0;
        foreach (var raw in File.ReadLines(path))
        {
            lineNo++;
            var line = raw.TrimEnd('\r');
            if (line.Trim().Length == 0) continue;
            int colon = line.IndexOf(':');
            if (colon <= 0) throw new InputException(path, $"expected 'key: values', got '{Shorten(line)}'", lineNo);
            var key = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            if (lines.ContainsKey(key)) throw new InputException(path, $"key '{key}' appears twice (first on line {lines[key]})", lineNo);
            lines[key] = lineNo;
            if (TextKeys.Contains(key))
            {
                texts[key] = value;
                continue;
            }
            // An empty value is kept as no numbers; Get reports it when the key is actually needed.
            var tokens = value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            var values = new double[tokens.Length];
            for (int i = 0; i < tokens.Length; i++)
            {
                if (!double.TryParse(tokens[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) || !double.IsFinite(values[i]))
                    throw new InputException(path, $"'{key}' value {i + 1} is not a number: '{Shorten(tokens[i])}'", lineNo);
            }
            numbers[key] = values;
        }
        return new CalibrationFile(path, numbers, texts, lines);
    }

    public bool Contains(string key) => _numbers.ContainsKey(key) || _texts.ContainsKey(key);

    /// <summary>The 1-based line of <paramref name="key"/>, or null.</summary>
    public int? LineOf(string key) => _lines.TryGetValue(key, out var l) ? l : null;

    /// <summary>The numbers of <paramref name="key"/>; missing, or not exactly <paramref name="count"/> values, is an InputException.</summary>
    public double[] Get(string key, int count)
    {
        if (!_numbers.TryGetValue(key, out var v))
            throw new InputException(Path, _texts.ContainsKey(key) ? $"'{key}' is text, expected {count} numbers" : $"missing key '{key}'", LineOf(key));
        if (v.Length != count) throw new InputException(Path, $"'{key}' has {v.Length} values, expected {count}", LineOf(key));
        return v;
    }

    /// <summary>A row-major matrix of <paramref name="rows"/> x <paramref name="cols"/>.</summary>
    public double[,] GetMatrix(string key, int rows, int cols)
    {
        var v = Get(key, rows * cols);
        var m = new double[rows, cols];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
                m[r, c] = v[r * cols + c];
        return m;
    }

    static string Shorten(string s) => s.Length <= 40 ? s : s[..40] + "...";
}

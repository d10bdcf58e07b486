using System.Globalization;
using System.Text;

namespace Mlda.Core.Evaluation;

/// <summary>
/// Python's fixed-point formatting (<c>"{:0.3f}"</c>, <c>"{: 8.3f}"</c>): correctly rounded from the exact binary
/// value with ties to even, which .NET's "F3" (ties away from zero) does not do for values such as 0.0625.
/// </summary>
public static class PythonFormat
{
    /// <summary><c>format(value, ".{decimals}f")</c>, with <paramref name="spaceSign"/> for the ' ' flag and right-aligned to <paramref name="width"/>.</summary>
    public static string Fixed(double value, int decimals, int width = 0, bool spaceSign = false)
    {
        string body;
        if (double.IsNaN(value)) body = "nan";
        else if (double.IsInfinity(value)) body = "inf";
        else body = RoundHalfEven(Math.Abs(value), decimals);
        string sign = double.IsNegative(value) && !double.IsNaN(value) ? "-" : spaceSign ? " " : "";
        return (sign + body).PadLeft(width);
    }

    static string RoundHalfEven(double abs, int decimals)
    {
        // .NET Core prints the exact decimal expansion of a double when asked for enough digits.
        var exact = abs.ToString("F" + (decimals + 1100).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        int dot = exact.IndexOf('.');
        var digits = new StringBuilder(exact[..dot] + exact.Substring(dot + 1, decimals));
        char next = exact[dot + 1 + decimals];
        bool restNonZero = exact.AsSpan(dot + 2 + decimals).IndexOfAnyExcept('0') >= 0;
        bool lastOdd = digits.Length > 0 && (digits[^1] - '0') % 2 == 1;
        bool up = next > '5' || next == '5' && (restNonZero || lastOdd);
        if (up)
        {
            int i = digits.Length - 1;
            while (i >= 0 && digits[i] == '9') digits[i--] = '0';
            if (i >= 0) digits[i]++;
            else digits.Insert(0, '1');
        }
        var s = digits.ToString();
        int intLen = s.Length - decimals;
        return decimals == 0 ? s : s[..intLen] + "." + s[intLen..];
    }

    /// <summary>
    /// <c>str(numpy.float32(value))</c>: the shortest digits that read back as the same float32, with Python's
    /// spelling (<c>4.0</c>, <c>1e-05</c>, <c>nan</c>, <c>inf</c>).
    /// </summary>
    public static string Repr(float value)
    {
        if (float.IsNaN(value)) return "nan";
        if (float.IsInfinity(value)) return value > 0 ? "inf" : "-inf";
        var r = value.ToString("R", CultureInfo.InvariantCulture);
        if (r.Contains('E'))
        {
            // .NET "1E-05" → Python "1e-05": two-digit exponent at least, sign always.
            var parts = r.Split('E');
            int exp = int.Parse(parts[1], CultureInfo.InvariantCulture);
            return $"{parts[0]}e{(exp < 0 ? '-' : '+')}{Math.Abs(exp):00}";
        }
        return r.Contains('.') ? r : r + ".0";
    }
}

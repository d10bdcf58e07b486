using Mlda.Core.Evaluation;

namespace Mlda.Tests.Evaluation;

public class PythonFormatTests
{
    [Theory]
    [InlineData(0.0625, 3, 0, false, "0.062")]   // exact tie: Python rounds half to even, .NET "F3" would give 0.063
    [InlineData(0.1875, 3, 0, false, "0.188")]
    [InlineData(2.0005, 3, 0, false, "2.001")]   // 2.0005 is stored slightly above the tie
    [InlineData(0.2813, 3, 8, true, "   0.281")]
    [InlineData(42.7595, 3, 8, true, "  42.760")]
    [InlineData(-0.0001, 3, 8, true, "  -0.000")]
    [InlineData(9.9996, 3, 0, false, "10.000")]
    [InlineData(1234567.5, 0, 0, false, "1234568")]
    public void MatchesPythonFormat(double value, int decimals, int width, bool space, string expected) =>
        Assert.Equal(expected, PythonFormat.Fixed(value, decimals, width, space));
}

using Mlda.Tests.Evaluation;

namespace Mlda.Tests.Networks;

public class InfoCliTests
{
    [Fact]
    public void Info_prints_the_reference_parameter_counts_at_640x192()
    {
        var o = MldaProcess.Run("info", "--height", "192", "--width", "640");
        Assert.True(o.ExitCode == 0, o.Stderr);
        var lines = o.Stdout.Split('\n');
        string Row(string name) => Assert.Single(lines, l => l.StartsWith(name + " ", StringComparison.Ordinal));
        Assert.Contains(" 33,760,832 ", Row("encoder"));
        Assert.Contains(" 3,328,809 ", Row("depth"));
        Assert.Contains(" 33,797,888 ", Row("pose_encoder"));
        Assert.Contains(" 1,314,572 ", Row("pose"));
    }

    [Fact]
    public void Info_rejects_a_size_the_encoder_cannot_take()
    {
        MldaProcess.AssertBadInput(MldaProcess.Run("info", "--height", "100"), "multiples of 32");
    }
}

using Mlda.Cli.Commands;

namespace Mlda.Tests.Runtime;

public class InferCommandTests
{
    [Fact]
    public void Bad_model_folder_exits_2_and_writes_nothing()
    {
        using var dir = new TempDir();
        var image = Path.Combine(SharedData.KittiRawSample, SharedData.Date, SharedData.Drive, "image_02", "data", "0000000000.png");
        var command = InferCommand.Create();
        var rc = command.Parse(["--model", dir["missing"], "--input", image, "--out", dir["out"]]).Invoke();
        Assert.Equal(CommandRunner.BadInput, rc);
        Assert.False(Directory.Exists(dir["out"]));
    }

    [Fact]
    public void Unknown_output_format_exits_2()
    {
        using var dir = new TempDir();
        var rc = InferCommand.Create().Parse(["--model", dir.Path, "--input", dir.Path, "--out", dir["out"], "--outputs", "gif"]).Invoke();
        Assert.Equal(CommandRunner.BadInput, rc);
    }
}

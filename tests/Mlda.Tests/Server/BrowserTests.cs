using System.Net;
using Mlda.Core.Visualization;
using OpenCvSharp;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace Mlda.Tests.Server;

/// <summary>
/// The page in a real browser: headless Chromium (Debian's chromium + chromium-driver, installed by
/// scripts/setup.sh) against the real <c>mlda serve</c> process. Saves the screenshot the README shows.
/// </summary>
public class BrowserTests : IClassFixture<ServedModel>
{
    const string Chromium = "/usr/bin/chromium", ChromeDriver = "/usr/bin/chromedriver";
    readonly ServedModel _model;

    public BrowserTests(ServedModel model) => _model = model;

    [Fact]
    public void Page_uploads_an_image_and_draws_the_depth_and_the_point_cloud()
    {
        Assert.True(File.Exists(Chromium) && File.Exists(ChromeDriver), $"{Chromium} and {ChromeDriver} are needed: run scripts/setup.sh as root (apt-get install chromium chromium-driver)");
        using var server = new ServerProcess(_model.Export.Path);
        var options = new ChromeOptions { BinaryLocation = Chromium };
        // Root in a container needs --no-sandbox; /dev/shm is small there. WebGL falls back to the 2-D canvas if absent.
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1100,1150", "--enable-unsafe-swiftshader");
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(ChromeDriver)!, Path.GetFileName(ChromeDriver));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        using var driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(120));
        driver.Navigate().GoToUrl(server.Url);
        var wait = new WebDriverWait(driver, TimeSpan.FromSeconds(120));
        wait.Until(d => d.FindElement(By.TagName("body")).GetAttribute("data-state") is "ready" or "error");
        Assert.Equal("ready", driver.FindElement(By.TagName("body")).GetAttribute("data-state"));

        driver.FindElement(By.Id("file")).SendKeys(ServedModel.KittiImage);
        wait.Until(d => d.FindElement(By.TagName("body")).GetAttribute("data-state") is "done" or "error");
        var body = driver.FindElement(By.TagName("body"));
        Assert.True(body.GetAttribute("data-state") == "done", driver.FindElement(By.Id("status")).Text);

        // The depth picture is the server's magma image, drawn at the input's size.
        var depth = driver.FindElement(By.Id("depth"));
        Assert.Equal(1242L, ((IJavaScriptExecutor)driver).ExecuteScript("return arguments[0].naturalWidth", depth));
        AssertDrawn(depth, "depth picture");
        AssertDrawn(driver.FindElement(By.Id("cloud")), $"point cloud ({body.GetAttribute("data-renderer")})");

        // Hovering shows a depth in metres (the fixture's model is stereo: metric).
        new OpenQA.Selenium.Interactions.Actions(driver).MoveToElement(depth).Perform();
        Assert.Matches(@"\(\d+, \d+\): \d+\.\d\d m", driver.FindElement(By.Id("readout")).Text);

        var shot = Path.Combine(RepositoryRoot(), "docs", "images", "serve-page.png");
        Directory.CreateDirectory(Path.GetDirectoryName(shot)!);
        ((ITakesScreenshot)driver).GetScreenshot().SaveAsFile(shot);
        Assert.False(server.HasExited);
    }

    /// <summary>The element's own pixels (a screenshot of it) are not one flat colour: something was drawn.</summary>
    static void AssertDrawn(IWebElement element, string what)
    {
        var png = ((ITakesScreenshot)element).GetScreenshot().AsByteArray;
        using var image = Cv2.ImDecode(png, ImreadModes.Color);
        Assert.True(image.Rows > 20 && image.Cols > 20, $"{what}: {image.Cols}x{image.Rows}");
        var bytes = MatBuffers.Bytes(image);
        int background = 0, pixels = image.Rows * image.Cols;
        for (int i = 0; i < bytes.Length; i += 3)
            if (Math.Abs(bytes[i] - bytes[0]) + Math.Abs(bytes[i + 1] - bytes[1]) + Math.Abs(bytes[i + 2] - bytes[2]) < 12) background++;
        Assert.True(pixels - background > pixels / 20, $"{what}: only {pixels - background} of {pixels} pixels differ from the corner colour");
    }

    static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Mlda.slnx"))) return dir.FullName;
        throw new DirectoryNotFoundException("Mlda.slnx not found above " + AppContext.BaseDirectory);
    }
}

using System.CommandLine;
using Mlda.Core.Imaging;
using Mlda.Core.Scenes;

namespace Mlda.Cli.Commands;

/// <summary><c>mlda frames</c>: a video to one scene of a scene folder (frames and, with intrinsics, cam.txt).</summary>
public static class FramesCommand
{
    public static Command Create()
    {
        var video = new Option<string>("--video") { Description = "the video (anything OpenCV/FFmpeg reads)", Required = true };
        var outDir = new Option<string>("--out") { Description = "the scene folder to write, e.g. ROOT/<scene>", Required = true };
        var fps = new Option<double?>("--fps") { Description = "keep about N frames per second (training wants about 10 per second of motion)" };
        var every = new Option<int?>("--every") { Description = "keep every K-th frame" };
        var start = new Option<double>("--start") { Description = "first second to keep", DefaultValueFactory = _ => 0 };
        var end = new Option<double?>("--end") { Description = "stop at this second" };
        var intrinsics = new Option<string?>("--intrinsics") { Description = "fx,fy,cx,cy in the video's pixels: written to cam.txt" };
        var quality = new Option<int>("--quality") { Description = "JPEG quality", DefaultValueFactory = _ => 95 };
        var command = new Command("frames", "extract a video's frames into a scene folder (JPEG, named by frame number; cam.txt with --intrinsics)");
        foreach (var o in new Option[] { video, outDir, fps, every, start, end, intrinsics, quality }) command.Options.Add(o);
        command.SetAction(pr => CommandRunner.Run(ct =>
        {
            var k = pr.GetValue(intrinsics) is { } text ? IntrinsicsArgument.Parse(text) : null;
            var options = new VideoFrameOptions(pr.GetValue(fps), pr.GetValue(every), pr.GetValue(start), pr.GetValue(end), k, pr.GetValue(quality));
            var o = pr.GetValue(outDir)!;
            var s = VideoFrames.Extract(pr.GetValue(video)!, o, options, new ConsoleProgress(), ct);
            foreach (var w in s.Warnings) Console.Error.WriteLine("warning: " + w);
            Console.WriteLine($"{o}: {s.Written} of {s.Read} frames ({s.Width}x{s.Height}, video at {s.VideoFps:0.##} fps)" +
                              (s.WroteCamera ? ", cam.txt" : "; no cam.txt: write one, or pass --intrinsics to train/eval"));
            return 0;
        }));
        return command;
    }
}

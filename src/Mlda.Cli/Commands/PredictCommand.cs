using System.CommandLine;
using System.Globalization;
using Mlda.Core;
using Mlda.Core.Evaluation;
using Mlda.Core.Imaging;
using Mlda.Core.Prediction;
using Mlda.Core.Scenes;
using Mlda.Core.Visualization;
using Mlda.Prediction;

namespace Mlda.Cli.Commands;

public static class PredictCommand
{
    public static Command Create()
    {
        var weights = new Option<string>("--weights") { Description = "model folder (a checkpoint, e.g. <log>/<name>/models/best_weights)", Required = true };
        var io = new PredictionCliOptions();
        var mode = ExportCommand.TrainingModeOption();
        var command = new Command("predict", "depth for an image, a folder or a video with the TorchSharp networks");
        command.Options.Add(weights);
        command.Options.Add(mode);
        io.AddTo(command);
        command.SetAction(pr => CommandRunner.Run(ct =>
        {
            var request = io.Request(pr);
            var weightsDir = pr.GetValue(weights)!;
            using var model = TorchDisparityModel.Load(weightsDir);
            var scaling = CheckpointScaling.For(weightsDir, model.Networks.Options, pr.GetValue(mode), io.UserScale(pr));
            return io.Run(pr, model, scaling, request, ct);
        }));
        return command;
    }
}

/// <summary>The options <c>mlda predict</c> and <c>mlda infer</c> share, and the run they share.</summary>
sealed class PredictionCliOptions
{
    readonly Option<string> _input = new("--input") { Description = "an image, a folder of images or a video", Required = true };
    readonly Option<string> _out = new("--out") { Description = "output folder", Required = true };
    readonly Option<string> _outputs = new("--outputs") { Description = $"comma-separated outputs: {PredictionOutputNames.Choices} (a video input always gets <name>_depth.mp4)", DefaultValueFactory = _ => "default" };
    readonly Option<int> _batch = SharedOptions.BatchSize(1, "images per forward pass; the guided filter normalises over the batch, so 1 makes each result independent of its neighbours");
    readonly Option<bool> _flip = new("--flip") { Description = "flip post-processing (monodepth2): average with the mirrored image's prediction" };
    readonly Option<double?> _scale = new("--scale") { Description = "multiply depth by this factor (metres per unit); default 5.4 for models trained with stereo (S, MS), none for mono (M)" };
    readonly Option<string?> _intrinsics = new("--intrinsics") { Description = "fx,fy,cx,cy in input pixels for the point cloud (default: a scene folder's cam.txt, else KITTI's normalised K scaled to the image)" };
    readonly Option<int> _plyStride = new("--ply-stride") { Description = "keep every n-th pixel in each direction in the point cloud", DefaultValueFactory = _ => 1 };
    readonly Option<string?> _calib = new("--calib") { Description = "KITTI calibration folder (date folder) of the input frame: prints the reference's metrics with --velo" };
    readonly Option<string?> _velo = new("--velo") { Description = "the frame's Velodyne scan (.bin), with --calib" };

    public void AddTo(Command command)
    {
        foreach (var o in new Option[] { _input, _out, _outputs, _batch, _flip, _scale, _intrinsics, _plyStride, _calib, _velo }) command.Options.Add(o);
    }

    public double? UserScale(ParseResult pr)
    {
        var s = pr.GetValue(_scale);
        if (s is double v && !(v > 0)) throw new InputException(null, $"--scale must be positive, got {v}");
        return s;
    }

    public PredictionRequest Request(ParseResult pr)
    {
        if ((pr.GetValue(_calib) is null) != (pr.GetValue(_velo) is null)) throw new InputException(null, "--calib and --velo go together");
        if (pr.GetValue(_plyStride) < 1) throw new InputException(null, "--ply-stride must be at least 1");
        CameraIntrinsics? k = null;
        var input = pr.GetValue(_input)!;
        if (pr.GetValue(_intrinsics) is string text) k = IntrinsicsArgument.Parse(text);
        else if (Directory.Exists(input) && File.Exists(Path.Combine(input, CameraFile.Name)))
        {
            // A scene of a scene folder: its own camera makes the point cloud.
            k = CameraFile.Read(Path.Combine(input, CameraFile.Name));
            Console.WriteLine($"point clouds use {Path.Combine(input, CameraFile.Name)} (fx {k.Fx:0.##}, fy {k.Fy:0.##}, cx {k.Cx:0.##}, cy {k.Cy:0.##})");
        }
        return new PredictionRequest(pr.GetValue(_input)!, pr.GetValue(_out)!, PredictionOutputNames.Parse(pr.GetValue(_outputs)!),
            pr.GetValue(_batch), k, pr.GetValue(_plyStride));
    }

    public int Run(ParseResult pr, IDisparityModel model, DepthScaling scaling, PredictionRequest request, CancellationToken ct)
    {
        var predictor = new DepthPredictor(model, scaling, pr.GetValue(_flip));
        var summary = PredictionRun.Run(predictor, request, new ConsoleProgress(), ct);
        Console.WriteLine($"{summary.Frames} frame(s) in {summary.Seconds:F1} s, network {model.Width}x{model.Height}, depth {(scaling.IsMetric ? $"in metres (x{scaling.MetricScale?.ToString(CultureInfo.InvariantCulture)})" : "relative (mono: no metric scale)")}");
        Console.WriteLine($"wrote {summary.Files.Count} file(s) to {request.OutDir}{(summary.Video is null ? "" : $", video {summary.Video}")}");
        if (pr.GetValue(_calib) is string calib && pr.GetValue(_velo) is string velo)
        {
            if (summary.Kind != SourceKind.Image) throw new InputException(request.Input, "--calib/--velo need a single image input");
            using var bgr = PredictionSource.ReadImage(request.Input);
            var p = predictor.Predict(bgr);
            var m = FrameMetrics.Compute(p.Depth, calib, velo);
            Console.WriteLine(string.Join(" ", DepthMetrics.Names.Select(n => $"{n,8}")));
            Console.WriteLine(string.Join(" ", m.ToArray().Select(v => $"{v,8:F3}")));
        }
        return 0;
    }
}

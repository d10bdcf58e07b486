using System.CommandLine;
using System.Globalization;
using Mlda.Checkpoints;
using Mlda.Core;
using Mlda.Core.Prediction;
using Mlda.Export;

namespace Mlda.Cli.Commands;

public static class ExportCommand
{
    public static Command Create()
    {
        var weights = new Option<string>("--weights") { Description = "model folder (a checkpoint, e.g. <log>/<name>/models/best_weights)", Required = true };
        var output = new Option<string>("--out") { Description = "output folder for encoder.onnx, depth.onnx, mlda.onnx, model.json", Required = true };
        var mode = TrainingModeOption();
        var verify = new Option<bool>("--verify") { Description = "run ONNX Runtime on random and real images and print the largest absolute difference from TorchSharp" };
        var images = new Option<string?>("--verify-images") { Description = "image or folder of real images for --verify (the first 4 are used)" };
        var int8 = new Option<bool>("--int8") { Description = "also write mlda.int8.onnx: QDQ int8 convolutions calibrated on --calibration" };
        var calibration = new Option<string?>("--calibration") { Description = "image or folder of images for the int8 activation ranges (sorted by name; real frames of the deployment's kind)" };
        var calibrationCount = new Option<int>("--calibration-count") { Description = "use the first N calibration images (default 64)", DefaultValueFactory = _ => 64 };
        var perChannel = new Option<bool>("--per-channel") { Description = "one int8 weight scale per output channel (default: one per convolution)" };
        var method = new Option<string>("--calibration-method") { Description = "activation range: percentile (99.999 %, default) or minmax", DefaultValueFactory = _ => "percentile" };
        method.AcceptOnlyFromAmong("percentile", "minmax");
        var command = new Command("export", "export ONNX models (reference two-model split and one fused graph, optionally int8) and model.json");
        foreach (var o in new Option[] { weights, output, mode, verify, images, int8, calibration, calibrationCount, perChannel, method }) command.Options.Add(o);
        command.SetAction(pr => CommandRunner.Run(ct =>
        {
            var outDir = pr.GetValue(output)!;
            Int8ExportOptions? int8Options = null;
            if (pr.GetValue(int8))
            {
                var calibrationPath = pr.GetValue(calibration) ?? throw new InputException(null, "--int8 needs --calibration IMAGES (a folder of real frames)");
                var quantization = new QuantizationOptions(pr.GetValue(method) == "minmax" ? CalibrationMethod.MinMax : CalibrationMethod.Percentile, pr.GetValue(perChannel));
                int8Options = new Int8ExportOptions(calibrationPath, pr.GetValue(calibrationCount), quantization);
                int8Options.Files();   // a calibration folder without images fails before the checkpoint loads
            }
            using var nets = Checkpoint.Load(pr.GetValue(weights)!, depthOnly: true);
            nets.Eval();
            var trainingMode = Mlda.Prediction.CheckpointScaling.TrainingModeOf(pr.GetValue(weights)!, nets.Options, pr.GetValue(mode));
            var result = OnnxExporter.Export(nets, outDir, ExportOptions.ForMode(trainingMode) with { Int8 = int8Options }, new ConsoleProgress());
            foreach (var f in result.Files) Console.WriteLine($"{f} ({new FileInfo(f).Length / 1e6:F1} MB)");
            Console.WriteLine($"input {result.Manifest.Width}x{result.Manifest.Height}, opset {result.Manifest.Opset}, dynamic batch, training mode {result.Manifest.TrainingMode}, " +
                              (result.Manifest.StereoScale is double s ? $"metric scale x{s.ToString(CultureInfo.InvariantCulture)}" : "no metric scale"));
            if (!pr.GetValue(verify)) return 0;
            int h = nets.Options.Height, w = nets.Options.Width;
            var checks = new List<VerificationResult>
            {
                ExportVerifier.Compare(nets, outDir, "random (uniform noise)", ExportVerifier.RandomImages(1, h, w), 1),
                ExportVerifier.Compare(nets, outDir, "random (uniform noise)", ExportVerifier.RandomImages(2, h, w, seed: 8), 2),
            };
            List<string> files = [];
            float[] real = [];
            if (pr.GetValue(images) is string path)
            {
                var source = PredictionSource.Open(path);
                if (source.Kind == SourceKind.Video) throw new InputException(path, "--verify-images takes images, not a video");
                files = source.Files.Take(4).ToList();
                real = ExportVerifier.RealImages(files, h, w);
                // Real frames are also compared with the same networks in float64: where a model amplifies rounding, this
                // says whether the export is any further from the exact answer than TorchSharp's own float32 is.
                checks.Add(ExportVerifier.Compare(nets, outDir, $"real ({Path.GetFileName(files[0])})", real.AsSpan(0, 3 * h * w).ToArray(), 1, againstFloat64: true));
                if (files.Count > 1) checks.Add(ExportVerifier.Compare(nets, outDir, $"real ({files.Count} images)", real, files.Count, againstFloat64: true));
            }
            else
            {
                Console.WriteLine("no --verify-images: real-image check skipped");
            }
            Console.WriteLine($"{"input",-28}{"batch",6}{"mlda.onnx",14}{"encoder+depth",16}{"float64 vs: mlda.onnx",23}{"TorchSharp fp32",17}");
            foreach (var c in checks)
                Console.WriteLine($"{c.Input,-28}{c.Batch,6}{c.FusedMaxAbsDiff,14:E2}{c.SplitMaxAbsDiff,16:E2}" +
                                  (c.FusedVsFloat64 is double f && c.TorchVsFloat64 is double t ? $"{f,23:E2}{t,17:E2}" : ""));
            Console.WriteLine($"largest absolute difference of the disparity, ONNX Runtime vs TorchSharp: {checks.Max(c => c.MaxAbsDiff):E2} (compared at equal batches: the guided filter normalises over the batch)");
            if (int8Options is not null && files.Count > 0)
            {
                var q = ExportVerifier.CompareInt8(outDir, $"real ({files.Count} images)", real.AsSpan(0, 3 * h * w).ToArray(), 1);
                Console.WriteLine($"int8 vs fp32 ({Path.GetFileName(files[0])}, batch 1): disparity {q.DisparityMaxAbsDiff:E2}, depth {q.DepthMaxAbsDiff:F3} (relative {q.DepthMaxRelativeDiff:P1}), mean relative depth difference {q.DepthMeanRelativeDiff:P2}");
            }
            return 0;
        }));
        return command;
    }

    /// <summary><c>--mode</c> of predict and export: overrides the training mode the checkpoint records.</summary>
    public static Option<string?> TrainingModeOption()
    {
        var mode = new Option<string?>("--mode")
        {
            Description = "how the model was trained, for checkpoints that do not record it (older ones): M (mono: relative depth), S or MS (stereo: x5.4 to metres); default: the checkpoint's options.json",
        };
        mode.AcceptOnlyFromAmong(TrainingMode.All);
        return mode;
    }
}

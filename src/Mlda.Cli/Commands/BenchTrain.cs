using System.CommandLine;
using Mlda.Core.Kitti;
using Mlda.Training;

namespace Mlda.Cli.Commands;

/// <summary><c>mlda bench train</c>: where a training step's time goes (data, encoder, depth, pose, warp+loss, backward, optimiser).</summary>
public static class BenchTrain
{
    public static Command Create()
    {
        var defaults = new TrainOptions();
        var steps = new Option<int>("--steps") { Description = "timed training steps (after one warm-up step)", DefaultValueFactory = _ => 4 };
        var height = SharedOptions.Height(defaults.Height);
        var width = SharedOptions.Width(defaults.Width);
        var batch = SharedOptions.BatchSize(defaults.BatchSize);
        var mode = new Option<string>("--mode") { Description = "M (video), S (stereo) or MS (both)", DefaultValueFactory = _ => defaults.Mode };
        mode.AcceptOnlyFromAmong("M", "S", "MS");
        var pose = SharedOptions.PoseEncoder(defaults.PoseEncoder);
        var data = new Option<string?>("--data") { Description = "KITTI raw root to load real batches from (default: random images)" };
        var splitDir = new Option<string?>("--split-dir") { Description = "folder with train_files.txt, with --data" };
        var hints = new Option<string?>("--hints") { Description = "depth hints root, with --data (random batches always include hints)" };
        var workers = new Option<int>("--workers") { Description = "data loader threads", DefaultValueFactory = _ => defaults.Workers };
        var threads = SharedOptions.Threads("TorchSharp intra-op threads (0: its own)", defaults.Threads);
        var command = new Command("train", "time training steps at a size: data, encoder, depth, pose, warp+loss, backward, optimiser");
        foreach (var o in new Option[] { steps, height, width, batch, mode, pose, data, splitDir, hints, workers, threads }) command.Options.Add(o);
        command.SetAction(pr => CommandRunner.Run(_ =>
        {
            var o = defaults with
            {
                Height = pr.GetValue(height), Width = pr.GetValue(width), BatchSize = pr.GetValue(batch), Mode = pr.GetValue(mode)!,
                PoseEncoder = SharedOptions.PoseEncoderValue(pr, pose), DataPath = pr.GetValue(data) ?? "", SplitDir = pr.GetValue(splitDir) ?? "",
                HintPath = pr.GetValue(hints), Workers = pr.GetValue(workers), Threads = pr.GetValue(threads),
            };
            SharedOptions.ValidModelOptions(new Networks.ModelOptions(o.Height, o.Width, o.PoseEncoder));
            if (o.Threads > 0) TorchSharp.torch.set_num_threads(o.Threads);
            ITrainingDataset? set = null;
            if (o.DataPath != "" && (o.SplitDir != "" || o.IsScenes)) set = TrainingData.Open(o, withValidation: false).Train;
            Console.WriteLine(TrainingBenchmark.Run(o.Width, o.Height, o.BatchSize, pr.GetValue(steps), o.Mode, o.PoseEncoder, o.UsesHints || set is null, set, workers: o.Workers));
            return 0;
        }));
        return command;
    }
}

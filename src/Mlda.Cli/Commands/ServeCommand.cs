using System.CommandLine;
using Microsoft.Extensions.Hosting;
using Mlda.Core;
using Mlda.Server;

namespace Mlda.Cli.Commands;

public static class ServeCommand
{
    public static Command Create()
    {
        var defaults = new ServerOptions();
        var modelDir = new Option<string>("--model") { Description = "exported model folder (mlda.onnx + model.json, from mlda export)", Required = true };
        var urls = new Option<string>("--urls") { Description = "where to listen (';'-separated; port 0 picks a free one)", DefaultValueFactory = _ => defaults.Urls };
        var concurrency = new Option<int>("--max-concurrency") { Description = "depth requests in flight at once (each at batch 1 on the one shared session); more get 503 + Retry-After", DefaultValueFactory = _ => defaults.MaxConcurrency };
        var upload = new Option<double>("--max-upload-mb") { Description = "largest request body in MiB; larger ones get 413 before they are read", DefaultValueFactory = _ => defaults.MaxUploadMegabytes };
        var threads = SharedOptions.Threads("ONNX Runtime intra-op threads of each model run (0: one per physical core)", defaults.Threads);
        var parallelRuns = SharedOptions.ParallelRuns(defaults.ParallelRuns);
        var command = new Command("serve", "the exported model as an HTTP service (POST /v1/depth) with a web page at /");
        foreach (var o in new Option[] { modelDir, urls, concurrency, upload, threads, parallelRuns }) command.Options.Add(o);
        command.SetAction(pr => CommandRunner.Run(ct =>
        {
            var options = new ServerOptions(pr.GetValue(urls)!, pr.GetValue(concurrency), pr.GetValue(upload), pr.GetValue(threads), pr.GetValue(parallelRuns));
            options.Validate();
            using var service = DepthService.Load(pr.GetValue(modelDir)!, options.Threads, options.EffectiveParallelRuns);
            var app = DepthServer.Build(service, options);
            try
            {
                app.StartAsync(ct).GetAwaiter().GetResult();
            }
            catch (IOException e)
            {
                throw new InputException(null, $"--urls {options.Urls}: {e.Message}", inner: e);
            }
            Console.WriteLine($"mlda serve: model {Path.GetFullPath(pr.GetValue(modelDir)!)} ({service.Model.Width}x{service.Model.Height}, depth {DepthFormats.Unit(service.Scaling)}), " +
                              $"up to {options.MaxConcurrency} requests at once, {options.EffectiveParallelRuns} model run(s) at a time with {(options.Threads == 0 ? "one thread per physical core" : $"{options.Threads} thread(s)")} each, uploads up to {options.MaxUploadMegabytes} MiB");
            foreach (var url in app.Urls) Console.WriteLine($"mlda serve: listening on {url}");
            Console.WriteLine("mlda serve: Ctrl-C stops");
            try
            {
                app.WaitForShutdownAsync(ct).GetAwaiter().GetResult();
            }
            finally
            {
                app.StopAsync().GetAwaiter().GetResult();
                app.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
            return 0;
        }));
        return command;
    }
}

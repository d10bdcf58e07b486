using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mlda.Core;
using Mlda.Core.Prediction;
using OpenCvSharp;
using Prometheus;

namespace Mlda.Server;

/// <summary>
/// The HTTP service over one loaded <see cref="DepthService"/>: <c>POST /v1/depth</c>, <c>GET /v1/model</c>,
/// <c>GET /healthz</c>, <c>GET /metrics</c> (Prometheus), <c>GET /openapi/v1.json</c> and the web page at <c>/</c>.
/// Every refused request gets an <see cref="ApiError"/> with its status; none of them stops the server.
/// </summary>
public static class DepthServer
{
    const string DepthPolicy = "depth";

    /// <param name="configure">Last changes before the app is built (the tests put it on an in-memory server).</param>
    public static WebApplication Build(DepthService service, ServerOptions options, Action<WebApplicationBuilder>? configure = null)
    {
        options.Validate();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
            WebRootPath = Path.Combine(AppContext.BaseDirectory, "wwwroot"),
        });
        builder.WebHost.UseUrls(options.Urls);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = options.MaxUploadBytes + 1);
        builder.Logging.SetMinimumLevel(Microsoft.Extensions.Logging.LogLevel.Warning);
        builder.Services.AddSingleton(service);
        builder.Services.AddSingleton(options);
        builder.Services.AddOpenApi(o => o.AddDocumentTransformer((doc, _, _) =>
        {
            doc.Info.Title = "MLDA-Net depth service (mlda serve)";
            doc.Info.Description = "Monocular depth from one image with the exported MLDA-Net and ONNX Runtime; each request runs at batch 1.";
            return Task.CompletedTask;
        }));
        builder.Services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status503ServiceUnavailable;
            o.AddConcurrencyLimiter(DepthPolicy, c =>
            {
                c.PermitLimit = options.MaxConcurrency;
                c.QueueLimit = 0;
            });
            o.OnRejected = async (context, ct) =>
            {
                context.HttpContext.Response.Headers.RetryAfter = "1";
                await context.HttpContext.Response.WriteAsJsonAsync(
                    new ApiError($"{options.MaxConcurrency} depth requests already in flight (--max-concurrency); retry after 1 s", 503), ServerJson.Options, ct);
            };
        });
        configure?.Invoke(builder);

        var app = builder.Build();
        var registry = Metrics.NewCustomRegistry();
        DotNetStats.Register(registry);
        app.UseHttpMetrics(o => o.SetMetricFactory(Metrics.WithCustomRegistry(registry)));
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            catch (Exception e) when (e is not OperationCanceledException && !context.Response.HasStarted)
            {
                app.Logger.LogError(e, "request failed");
                context.Response.StatusCode = StatusCodes.Status500InternalServerError;
                await context.Response.WriteAsJsonAsync(new ApiError("internal error: " + e.Message.Split('\n')[0], 500), ServerJson.Options);
            }
        });
        // Answers the framework gives without a body (routing's 415 for another Content-Type, 404, 405) get JSON too.
        app.UseStatusCodePages(async context =>
        {
            var response = context.HttpContext.Response;
            var message = response.StatusCode == StatusCodes.Status415UnsupportedMediaType
                ? $"Content-Type must be {string.Join(", ", ImageUpload.ImageTypes)} or multipart/form-data with a field '{ImageUpload.FormField}'"
                : ReasonPhrases.GetReasonPhrase(response.StatusCode);
            await response.WriteAsJsonAsync(new ApiError(message, response.StatusCode), ServerJson.Options);
        });
        app.UseRateLimiter();
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.MapOpenApi();
        app.MapMetrics("/metrics", registry);

        app.MapGet("/healthz", (DepthService s) => Results.Json(new
        {
            status = "ready",
            network = $"{s.Model.Width}x{s.Model.Height}",
            trainingMode = s.TrainingMode,
            unit = DepthFormats.Unit(s.Scaling),
        }, ServerJson.Options))
            .WithSummary("Ready: the model is loaded (the server listens only once it is)");

        app.MapGet("/v1/model", (DepthService s) => Results.Text(s.ManifestJson, "application/json"))
            .WithSummary("The export's model.json (input size, depth range, training mode, metric scale)");

        app.MapPost("/v1/depth", Depth)
            .RequireRateLimiting(DepthPolicy)
            .Accepts<Stream>("image/jpeg", "image/png", "multipart/form-data")
            .Produces(200, contentType: "image/jpeg", additionalContentTypes: ["image/png", "application/octet-stream", "application/json"])
            .Produces<ApiError>(400).Produces<ApiError>(413).Produces<ApiError>(415).Produces<ApiError>(503)
            .WithSummary("Depth for one image (JPEG or PNG body, or multipart field 'image')")
            .WithDescription("format: magma (default, the magma JPEG) | npy (disparity as mlda infer's <name>_disp.npy, float32 HxW) | " +
                             "depth-npy (<name>_depth.npy) | png16 (16-bit depth x256) | json (statistics) | ply (point cloud; ply-stride keeps every n-th pixel). " +
                             "The answer equals mlda infer's file for the same image. X-Depth-Unit says m (metric) or relative.");
        return app;
    }

    static async Task<IResult> Depth(HttpContext http, DepthService service, ServerOptions options,
        [FromQuery] string? format, [FromQuery(Name = "ply-stride")] string? plyStride, CancellationToken ct)
    {
        DepthFormat f;
        try { f = DepthFormats.Parse(format); }
        catch (InputException e) { return Error(400, e.Message); }
        int stride = 1;
        if (plyStride is not null && (!int.TryParse(plyStride, NumberStyles.None, CultureInfo.InvariantCulture, out stride) || stride < 1))
            return Error(400, $"ply-stride must be a positive integer, got '{plyStride}'");
        byte[] upload;
        try { upload = await ImageUpload.ReadAsync(http.Request, options.MaxUploadBytes, ct); }
        catch (RequestRefused e) { return Error(e.Status, e.Message); }
        Mat bgr;
        try { bgr = PredictionSource.DecodeImage(upload, "upload"); }
        catch (InputException e) { return Error(400, e.Message + " (send a JPEG or PNG)"); }
        using (bgr)
        {
            var prediction = service.Predict(bgr);
            var body = DepthFormats.Encode(f, bgr, prediction, service, stride);
            http.Response.Headers["X-Depth-Unit"] = DepthFormats.Unit(prediction.Scaling);
            http.Response.Headers["X-Image-Size"] = $"{bgr.Cols}x{bgr.Rows}";
            return Results.Bytes(body, DepthFormats.ContentType(f));
        }
    }

    static IResult Error(int status, string message) => Results.Json(new ApiError(message, status), ServerJson.Options, statusCode: status);
}

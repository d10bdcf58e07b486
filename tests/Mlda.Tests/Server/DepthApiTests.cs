using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Mlda.Cli.Commands;
using Mlda.Core.IO;
using Mlda.Core.Prediction;
using Mlda.Server;
using Mlda.Tests.Prediction;
using OpenCvSharp;

namespace Mlda.Tests.Server;

/// <summary>The HTTP API on ASP.NET Core's in-memory server: answers equal mlda infer's files; every refusal its status.</summary>
public class DepthApiTests : IClassFixture<ServedModel>
{
    readonly ServedModel _model;

    public DepthApiTests(ServedModel model) => _model = model;

    static async Task<(WebApplication App, HttpClient Client)> Start(DepthService service, ServerOptions? options = null)
    {
        var app = DepthServer.Build(service, options ?? new ServerOptions(), b => b.WebHost.UseTestServer());
        await app.StartAsync();
        return (app, app.GetTestClient());
    }

    static ByteArrayContent Image(byte[] bytes, string type)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(type);
        return content;
    }

    static async Task<ApiError> AssertRefused(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var error = JsonSerializer.Deserialize<ApiError>(await response.Content.ReadAsStringAsync(), ServerJson.Options)!;
        Assert.Equal((int)status, error.Status);
        Assert.False(string.IsNullOrWhiteSpace(error.Error));
        return error;
    }

    [Fact]
    public void Server_does_not_depend_on_TorchSharp_even_transitively()
    {
        var seen = AssemblyReferences.Transitive(typeof(DepthServer).Assembly);
        Assert.DoesNotContain(seen, n => n.Contains("TorchSharp", StringComparison.OrdinalIgnoreCase));
        Assert.Contains("Mlda.Runtime", seen);
        Assert.Contains("Mlda.Core", seen);
        Assert.DoesNotContain("Mlda", seen);
    }

    [Fact]
    public async Task Every_format_is_the_file_mlda_infer_writes_for_the_same_image()
    {
        using var dir = new TempDir();
        var rc = InferCommand.Create().Parse(["--model", _model.Export.Path, "--input", ServedModel.KittiImage, "--out", dir.Path, "--outputs", "all", "--threads", "1"]).Invoke();
        Assert.Equal(0, rc);
        var (app, client) = await Start(_model.Service);
        await using var _ = app;
        var image = await File.ReadAllBytesAsync(ServedModel.KittiImage);
        foreach (var (format, file, type) in new[]
        {
            ("npy", "0000000000_disp.npy", "application/octet-stream"), ("depth-npy", "0000000000_depth.npy", "application/octet-stream"),
            ("png16", "0000000000_depth.png", "image/png"), ("magma", "0000000000_disp.jpeg", "image/jpeg"), ("ply", "0000000000.ply", "application/octet-stream"),
        })
        {
            using var response = await client.PostAsync($"v1/depth?format={format}", Image(image, "image/png"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(type, response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("m", response.Headers.GetValues("X-Depth-Unit").Single());
            var served = await response.Content.ReadAsByteArrayAsync();
            var written = await File.ReadAllBytesAsync(dir[file]);
            Assert.True(served.SequenceEqual(written), $"format={format} differs from mlda infer's {file}");
        }
        // The done criterion reads the arrays: max |difference| <= 1e-6 (they are in fact identical bytes).
        using var npy = await client.PostAsync("v1/depth?format=npy", Image(image, "image/png"));
        var servedDisp = Npy.ToFloatMaps(Npy.ReadFrom(await npy.Content.ReadAsStreamAsync(), "answer"), "answer")[0];
        var inferDisp = Npy.ReadFloatMap(dir["0000000000_disp.npy"]);
        Assert.Equal((375, 1242), (servedDisp.Height, servedDisp.Width));
        Assert.True(servedDisp.Values.Zip(inferDisp.Values).Max(p => Math.Abs(p.First - p.Second)) <= 1e-6);
    }

    [Fact]
    public async Task Default_is_magma_and_multipart_field_image_gives_the_raw_bodys_answer()
    {
        var (app, client) = await Start(_model.Service);
        await using var _ = app;
        using var kitti = Cv2.ImRead(ServedModel.KittiImage);
        Cv2.ImEncode(".jpg", kitti, out var jpeg);
        using var raw = await client.PostAsync("v1/depth", Image(jpeg, "image/jpeg"));
        Assert.Equal(HttpStatusCode.OK, raw.StatusCode);
        Assert.Equal("image/jpeg", raw.Content.Headers.ContentType?.MediaType);
        var magma = await raw.Content.ReadAsByteArrayAsync();
        using (var decoded = Cv2.ImDecode(magma, ImreadModes.Color)) Assert.Equal((375, 1242), (decoded.Rows, decoded.Cols));

        using var form = new MultipartFormDataContent { { Image(jpeg, "image/jpeg"), "image", "frame.jpg" } };
        using var multipart = await client.PostAsync("v1/depth?format=magma", form);
        Assert.Equal(HttpStatusCode.OK, multipart.StatusCode);
        Assert.Equal(magma, await multipart.Content.ReadAsByteArrayAsync());

        using var wrongField = new MultipartFormDataContent { { Image(jpeg, "image/jpeg"), "picture", "frame.jpg" } };
        var error = await AssertRefused(await client.PostAsync("v1/depth", wrongField), HttpStatusCode.BadRequest);
        Assert.Contains("'image'", error.Error);
    }

    [Fact]
    public async Task Json_statistics_describe_the_depth_npy_answer()
    {
        var (app, client) = await Start(_model.Service);
        await using var _ = app;
        var image = await File.ReadAllBytesAsync(ServedModel.KittiImage);
        using var json = await client.PostAsync("v1/depth?format=json", Image(image, "image/png"));
        var stats = JsonSerializer.Deserialize<DepthStatistics>(await json.Content.ReadAsStringAsync(), ServerJson.Options)!;
        using var npy = await client.PostAsync("v1/depth?format=depth-npy", Image(image, "image/png"));
        var depth = Npy.ToFloatMaps(Npy.ReadFrom(await npy.Content.ReadAsStreamAsync(), "answer"), "answer")[0].Values;
        Assert.Equal((1242, 375, 192, 64), (stats.Width, stats.Height, stats.NetworkWidth, stats.NetworkHeight));
        Assert.True(stats.Metric);
        Assert.Equal("m", stats.Unit);
        Assert.Equal(TrainingMode.Stereo, stats.TrainingMode);
        Assert.Equal(depth.Min(), stats.MinDepth);
        Assert.Equal(depth.Max(), stats.MaxDepth);
        var sorted = depth.Order().ToArray();
        Assert.InRange(stats.MedianDepth, sorted[sorted.Length / 2 - 1], sorted[sorted.Length / 2]);
        Assert.True(stats.MinDepth < stats.MaxDepth);
    }

    [Fact]
    public async Task Bad_requests_get_their_status_and_the_server_keeps_serving()
    {
        var (app, client) = await Start(_model.Service, new ServerOptions(MaxUploadMegabytes: 1));
        await using var _ = app;
        var png = await File.ReadAllBytesAsync(ServedModel.KittiImage); // 0.84 MiB: under the limit
        Assert.InRange(png.Length, 1, 1 << 20);

        await AssertRefused(await client.PostAsync("v1/depth", Image([1, 2, 3, 4, 5, 6, 7, 8], "image/png")), HttpStatusCode.BadRequest);
        await AssertRefused(await client.PostAsync("v1/depth", Image(png.AsSpan(0, 2000).ToArray(), "image/png")), HttpStatusCode.BadRequest);
        await AssertRefused(await client.PostAsync("v1/depth", Image([], "image/png")), HttpStatusCode.BadRequest);
        var unknown = await AssertRefused(await client.PostAsync("v1/depth?format=gif", Image(png, "image/png")), HttpStatusCode.BadRequest);
        Assert.Contains("gif", unknown.Error);
        await AssertRefused(await client.PostAsync("v1/depth?format=ply&ply-stride=0", Image(png, "image/png")), HttpStatusCode.BadRequest);
        await AssertRefused(await client.PostAsync("v1/depth", Image(png, "text/plain")), HttpStatusCode.UnsupportedMediaType);
        await AssertRefused(await client.PostAsync("v1/depth", new ByteArrayContent(png)), HttpStatusCode.UnsupportedMediaType);

        // Over the limit by Content-Length: refused before the body is read (the stream is hardly touched).
        var large = new CountingStream(8 << 20);
        var declared = new StreamContent(large);
        declared.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        declared.Headers.ContentLength = large.Size;
        var tooLarge = await AssertRefused(await client.PostAsync("v1/depth", declared), HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("limit", tooLarge.Error);
        Assert.True(large.Consumed < 4 << 20, $"{large.Consumed} bytes of the oversized body were read");
        // Over the limit without a length (chunked): reading stops at the limit.
        var chunked = new CountingStream(8 << 20);
        var streamed = new StreamContent(chunked);
        streamed.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        await AssertRefused(await client.PostAsync("v1/depth", streamed), HttpStatusCode.RequestEntityTooLarge);
        Assert.True(chunked.Consumed < 4 << 20, $"{chunked.Consumed} bytes of the oversized chunked body were read");

        using var ok = await client.PostAsync("v1/depth?format=npy", Image(png, "image/png"));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        using var health = await client.GetAsync("healthz");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task Requests_beyond_max_concurrency_get_503_with_retry_after_and_later_ones_are_served()
    {
        using var model = new BlockingModel();
        using var service = new DepthService(model, new DepthScaling(), "{}", TrainingMode.Mono);
        var (app, client) = await Start(service, new ServerOptions(MaxConcurrency: 1));
        await using var _ = app;
        using var small = new Mat(64, 192, MatType.CV_8UC3, Scalar.All(128));
        Cv2.ImEncode(".png", small, out var png);

        var first = client.PostAsync("v1/depth?format=npy", Image(png, "image/png"));
        Assert.True(model.Entered.Wait(TimeSpan.FromSeconds(30)), "the first request never reached the model");
        using var refused = await client.PostAsync("v1/depth?format=npy", Image(png, "image/png"));
        await AssertRefused(refused, HttpStatusCode.ServiceUnavailable);
        Assert.Equal("1", refused.Headers.GetValues("Retry-After").Single());
        model.Release.Set();
        using var firstAnswer = await first;
        Assert.Equal(HttpStatusCode.OK, firstAnswer.StatusCode);
        using var later = await client.PostAsync("v1/depth?format=json", Image(png, "image/png"));
        Assert.Equal(HttpStatusCode.OK, later.StatusCode);
        Assert.Equal("relative", later.Headers.GetValues("X-Depth-Unit").Single());

        var metrics = await client.GetStringAsync("metrics");
        Assert.Contains("code=\"503\"", metrics);
        Assert.Contains("http_request_duration_seconds_bucket", metrics);
        Assert.Contains("http_requests_in_progress", metrics);
        Assert.Contains("process_working_set_bytes", metrics);
    }

    [Fact]
    public async Task Model_health_openapi_and_the_page_are_served()
    {
        var (app, client) = await Start(_model.Service);
        await using var _ = app;
        Assert.Equal(await File.ReadAllTextAsync(Path.Combine(_model.Export.Path, ModelManifest.FileName)), await client.GetStringAsync("v1/model"));
        using var health = await client.GetAsync("healthz");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Contains("ready", await health.Content.ReadAsStringAsync());

        using var openapi = JsonDocument.Parse(await client.GetStringAsync("openapi/v1.json"));
        var paths = openapi.RootElement.GetProperty("paths");
        var depth = paths.GetProperty("/v1/depth").GetProperty("post");
        Assert.Contains(depth.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "format");
        foreach (var status in new[] { "200", "400", "413", "415", "503" }) Assert.True(depth.GetProperty("responses").TryGetProperty(status, out var _), status);
        foreach (var path in new[] { "/v1/model", "/healthz" }) Assert.True(paths.TryGetProperty(path, out var _), path);

        var page = await client.GetStringAsync("/");
        Assert.Contains("app.js", page);
        using var three = await client.GetAsync("vendor/three/three.module.js");
        Assert.Equal(HttpStatusCode.OK, three.StatusCode);
        using var core = await client.GetAsync("vendor/three/three.core.js");
        Assert.Equal(HttpStatusCode.OK, core.StatusCode);
        using var example = await client.GetAsync("examples/synthetic_street.png");
        Assert.Equal(HttpStatusCode.OK, example.StatusCode);
        // Nothing on the page is fetched from outside: no absolute URL in our own files.
        foreach (var file in Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "wwwroot"), "*", SearchOption.AllDirectories)
                     .Where(f => !f.Contains(Path.Combine("wwwroot", "vendor")) && !f.EndsWith(".png", StringComparison.Ordinal)))
            Assert.DoesNotMatch("(https?:)?//[a-z0-9.-]+\\.[a-z]{2,}", File.ReadAllText(file));
    }

    [Fact]
    public async Task Load_test_counts_requests_latencies_and_memory()
    {
        var (app, client) = await Start(_model.Service);
        await using var _ = app;
        using var small = new Mat(64, 192, MatType.CV_8UC3, Scalar.All(90));
        Cv2.ImEncode(".png", small, out var png);
        var r = await ServeBenchmark.RunAsync(client, png, "image/png", new ServeBenchmarkOptions(Clients: 2, Seconds: 1.5));
        Assert.Equal(0, r.Errors);
        Assert.True(r.Requests > 0);
        Assert.Equal(r.Requests, r.Outcomes["200"]);
        Assert.InRange(r.LatencyP50Seconds, 0, r.LatencyP99Seconds);
        Assert.InRange(r.LatencyP99Seconds, r.LatencyP50Seconds, r.LatencyMaxSeconds);
        Assert.True(r.ResidentMegabytesBefore > 10 && r.ResidentMegabytesAfter > 10);
    }

    [Fact]
    public void Serve_command_rejects_a_bad_model_folder_and_bad_options_with_exit_2()
    {
        using var dir = new TempDir();
        Assert.Equal(CommandRunner.BadInput, ServeCommand.Create().Parse(["--model", dir["missing"]]).Invoke());
        Assert.Equal(CommandRunner.BadInput, ServeCommand.Create().Parse(["--model", _model.Export.Path, "--max-concurrency", "0"]).Invoke());
        Assert.Equal(CommandRunner.BadInput, ServeCommand.Create().Parse(["--model", _model.Export.Path, "--urls", "ftp://x"]).Invoke());
        Assert.Equal(CommandRunner.BadInput, ServeCommand.Create().Parse(["--model", _model.Export.Path, "--parallel-runs", "-1"]).Invoke());
        Assert.Equal(CommandRunner.BadInput, ServeCommand.Create().Parse(["--model", _model.Export.Path, "--max-concurrency", "2", "--parallel-runs", "3"]).Invoke());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void The_service_lets_parallel_runs_model_runs_through_at_once_and_no_more(int runs)
    {
        using var model = new CountingModel();
        using var service = new DepthService(model, new DepthScaling(), "{}", TrainingMode.Mono, parallelRuns: runs);
        using var image = new Mat(64, 192, MatType.CV_8UC3, Scalar.All(128));
        var threads = Enumerable.Range(0, 4).Select(_ => new Thread(() => service.Predict(image))).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        Assert.Equal(4, model.Runs);
        Assert.Equal(runs, model.MostAtOnce);
    }

    /// <summary>Counts the runs inside it at once; each takes 150 ms, so requests started together overlap.</summary>
    sealed class CountingModel : IDisparityModel
    {
        readonly FakeDisparityModel _inner = new();
        int _inside, _most, _runs;
        public int MostAtOnce => _most;
        public int Runs => _runs;
        public int Height => _inner.Height;
        public int Width => _inner.Width;

        public float[] PredictDisparity(float[] images, int batch)
        {
            int now = Interlocked.Increment(ref _inside);
            lock (_inner) _most = Math.Max(_most, now);
            Thread.Sleep(150);
            Interlocked.Decrement(ref _inside);
            Interlocked.Increment(ref _runs);
            return _inner.PredictDisparity(images, batch);
        }

        public void Dispose() { }
    }

    /// <summary>A model that holds its caller until released (to have a request in flight on demand).</summary>
    sealed class BlockingModel : IDisparityModel
    {
        readonly FakeDisparityModel _inner = new();
        public ManualResetEventSlim Entered { get; } = new();
        public ManualResetEventSlim Release { get; } = new();
        public int Height => _inner.Height;
        public int Width => _inner.Width;

        public float[] PredictDisparity(float[] images, int batch)
        {
            Entered.Set();
            Release.Wait(TimeSpan.FromSeconds(60));
            return _inner.PredictDisparity(images, batch);
        }

        public void Dispose()
        {
            Entered.Dispose();
            Release.Dispose();
        }
    }

    /// <summary>A non-seekable body of zeros of a given length that counts how much of it was read.</summary>
    sealed class CountingStream(long length) : Stream
    {
        public long Consumed { get; private set; }
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public long Size => length;
        public override long Position { get => Consumed; set { if (value != Consumed) throw new NotSupportedException(); } }
        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = (int)Math.Min(count, length - Consumed);
            Array.Clear(buffer, offset, n);
            Consumed += n;
            return n;
        }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

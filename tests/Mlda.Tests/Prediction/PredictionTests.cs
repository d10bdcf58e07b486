using Mlda.Core;
using Mlda.Core.Imaging;
using Mlda.Core.IO;
using Mlda.Core.Prediction;
using Mlda.Core.Visualization;
using OpenCvSharp;
using static TorchSharp.torch;

namespace Mlda.Tests.Prediction;

public class PredictionTests
{
    static string KittiImage(int i) => Path.Combine(SharedData.KittiRawSample, SharedData.Date, SharedData.Drive, "image_02", "data", $"{i:D10}.png");

    [Fact]
    public void Disp_to_depth_spans_min_to_max_and_stereo_scale_gives_metres()
    {
        var s = new DepthScaling(0.1, 100);
        Assert.Equal(100f, s.Depth(0f), 3);
        Assert.Equal(0.1f, s.Depth(1f), 5);
        Assert.False(s.IsMetric);
        var metric = new DepthScaling(0.1, 100, DepthScaling.StereoScaleFactor);
        Assert.Equal(540f, metric.Depth(0f), 2);
    }

    [Fact]
    public void Bilinear_resize_matches_torch_align_corners_false()
    {
        using var scope = NewDisposeScope();
        var map = new FloatMap(6, 10, Enumerable.Range(0, 60).Select(i => (float)Math.Sin(i * 0.7)).ToArray());
        foreach (var (h, w) in new[] { (15, 31), (3, 4), (375, 1242) })
        {
            var ours = InputSizeResize.Bilinear(map, h, w);
            var torchOut = nn.functional.interpolate(tensor(map.Values).reshape(1, 1, 6, 10), [h, w], mode: InterpolationMode.Bilinear, align_corners: false);
            var expected = torchOut.contiguous().data<float>().ToArray();
            Assert.True(ours.Values.Zip(expected).Max(p => Math.Abs(p.First - p.Second)) < 1e-5, $"{h}x{w}");
        }
    }

    [Fact]
    public void Flip_post_processing_takes_each_side_from_the_other_view()
    {
        int w = 40;
        var direct = new FloatMap(2, w, Enumerable.Repeat(1f, 2 * w).ToArray());
        var mirrored = new FloatMap(2, w, Enumerable.Repeat(3f, 2 * w).ToArray());
        var blended = Mlda.Core.Evaluation.DisparityPostProcess.BlendToFloat32(direct, mirrored);
        Assert.Equal(3f, blended[0, 0], 5);          // left edge: the mirrored prediction
        Assert.Equal(1f, blended[1, w - 1], 5);      // right edge: the direct prediction
        Assert.Equal(2f, blended[0, w / 2], 5);      // middle: the mean
        var same = Mlda.Core.Evaluation.DisparityPostProcess.BlendToFloat32(direct, direct);
        Assert.All(same.Values, v => Assert.Equal(1f, v, 5));
    }

    [Fact]
    public void Network_input_is_rgb_chw_in_0_1_at_network_size()
    {
        using var red = new Mat(50, 70, MatType.CV_8UC3, new Scalar(0, 0, 255));   // BGR
        var data = new float[3 * 32 * 64];
        NetworkInput.Fill(red, 32, 64, data);
        Assert.All(data[..(32 * 64)], v => Assert.Equal(1f, v));
        Assert.All(data[(32 * 64)..], v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Predictions_come_back_at_the_input_size_with_flip_batched_with_the_image()
    {
        using var model = new FakeDisparityModel();
        var predictor = new DepthPredictor(model, new DepthScaling(0.1, 100, 5.4), flipPostProcess: true);
        using var image = PredictionSource.ReadImage(KittiImage(0));
        var p = predictor.Predict(image);
        Assert.Equal([2], model.Batches);
        Assert.Equal((375, 1242), (p.Depth.Height, p.Depth.Width));
        Assert.All(p.Disparity.Values, v => Assert.InRange(v, 0.1f - 1e-5f, 0.9f + 1e-5f));
        Assert.All(p.Depth.Values, v => Assert.InRange(v, 0.1f * 5.4f - 1e-3f, 100f * 5.4f));
        for (int i = 0; i < p.Depth.Values.Length; i += 997)
            Assert.Equal(1f / p.ScaledDisparity.Values[i] * 5.4f, p.Depth.Values[i], 2);
    }

    [Fact]
    public void A_folder_writes_every_format_with_sane_ranges()
    {
        using var dir = new TempDir();
        var input = dir["in"];
        Directory.CreateDirectory(input);
        foreach (var i in new[] { 0, 1, 2 }) File.Copy(KittiImage(i), Path.Combine(input, $"{i:D10}.png"));
        using var model = new FakeDisparityModel();
        var predictor = new DepthPredictor(model, new DepthScaling(0.1, 100, 5.4));
        var summary = PredictionRun.Run(predictor, new PredictionRequest(input, dir["out"], PredictionOutputs.All, BatchSize: 2, PlyStride: 8));
        Assert.Equal(SourceKind.Folder, summary.Kind);
        Assert.Equal(3, summary.Frames);
        Assert.Equal([2, 1], model.Batches);
        Assert.Equal(18, summary.Files.Count);
        Assert.All(summary.Files, f => Assert.True(File.Exists(f), f));
        Assert.Empty(Directory.GetFiles(dir["out"], "*.tmp*"));

        var disp = Npy.ReadFloatMap(dir["out/0000000000_disp.npy"]);
        var depth = Npy.ReadFloatMap(dir["out/0000000000_depth.npy"]);
        Assert.Equal((375, 1242), (depth.Height, depth.Width));
        Assert.All(disp.Values, v => Assert.InRange(v, 0.01f, 10f));
        for (int i = 0; i < depth.Values.Length; i += 1013) Assert.Equal(5.4f / disp.Values[i], depth.Values[i], 2);
        var png = DepthPng.Read(dir["out/0000000000_depth.png"]);
        for (int i = 0; i < depth.Values.Length; i += 1013) Assert.True(Math.Abs(Math.Min(depth.Values[i], 65535 / 256f) - png.Values[i]) <= 0.5 / 256 + 1e-4, $"{i}");
        using (var figure = Cv2.ImRead(dir["out/0000000000_depth_predict.jpg"])) Assert.Equal((750, 1242), (figure.Rows, figure.Cols));
        using (var magma = Cv2.ImRead(dir["out/0000000000_disp.jpeg"])) Assert.Equal((375, 1242), (magma.Rows, magma.Cols));
        var cloud = PointCloud.ReadPly(dir["out/0000000000.ply"]);
        Assert.InRange(cloud.Count, 100, (375 / 8 + 1) * (1242 / 8 + 1));
        Assert.All(cloud, p => Assert.InRange(p.Z, 0.5f, 80f));
    }

    [Fact]
    public void A_video_gives_a_side_by_side_video_with_every_frame()
    {
        using var dir = new TempDir();
        var video = dir["clip.mp4"];
        using (var writer = new VideoWriter(video, FourCC.MP4V, 10, new OpenCvSharp.Size(320, 96)))
        {
            Assert.True(writer.IsOpened());
            for (int i = 0; i < 5; i++)
            {
                using var frame = PredictionSource.ReadImage(KittiImage(i));
                using var small = frame.Resize(new OpenCvSharp.Size(320, 96));
                writer.Write(small);
            }
        }
        using var model = new FakeDisparityModel();
        var summary = PredictionRun.Run(new DepthPredictor(model, new DepthScaling()), new PredictionRequest(video, dir["out"], PredictionOutputs.Magma));
        Assert.Equal(SourceKind.Video, summary.Kind);
        Assert.Equal(5, summary.Frames);
        Assert.Equal(5, Directory.GetFiles(dir["out"], "clip_*_disp.jpeg").Length);
        using var result = new VideoCapture(summary.Video!);
        Assert.True(result.IsOpened());
        Assert.Equal(640, (int)result.Get(VideoCaptureProperties.FrameWidth));
        Assert.Equal(96, (int)result.Get(VideoCaptureProperties.FrameHeight));
        int frames = 0;
        using var m = new Mat();
        while (result.Read(m) && !m.Empty()) frames++;
        Assert.Equal(5, frames);
    }

    [Fact]
    public void Bad_inputs_fail_with_one_line_naming_the_file_and_write_nothing()
    {
        using var dir = new TempDir();
        using var model = new FakeDisparityModel();
        var predictor = new DepthPredictor(model, new DepthScaling());
        var outDir = dir["out"];

        var missing = Assert.Throws<InputException>(() => PredictionRun.Run(predictor, new PredictionRequest(dir["nope.png"], outDir)));
        Assert.Contains("nope.png", missing.Message);

        Directory.CreateDirectory(dir["empty"]);
        File.WriteAllText(dir["empty/readme.txt"], "not an image");
        var empty = Assert.Throws<InputException>(() => PredictionRun.Run(predictor, new PredictionRequest(dir["empty"], outDir)));
        Assert.Contains("no images", empty.Message);

        Directory.CreateDirectory(dir["mixed"]);
        File.Copy(KittiImage(0), dir["mixed/a.png"]);
        File.WriteAllBytes(dir["mixed/b.png"], [1, 2, 3, 4, 5, 6, 7, 8]);
        var corrupt = Assert.Throws<InputException>(() => PredictionRun.Run(predictor, new PredictionRequest(dir["mixed"], outDir)));
        Assert.Contains("b.png", corrupt.Message);

        File.WriteAllBytes(dir["broken.mp4"], new byte[1000]);
        var video = Assert.Throws<InputException>(() => PredictionRun.Run(predictor, new PredictionRequest(dir["broken.mp4"], outDir)));
        Assert.Contains("broken.mp4", video.Message);

        foreach (var e in new[] { missing, empty, corrupt, video }) Assert.DoesNotContain('\n', e.Message);
        Assert.False(Directory.Exists(outDir) && Directory.EnumerateFileSystemEntries(outDir).Any(), "nothing may be written");
        Assert.Empty(model.Batches);
    }

    [Fact]
    public void Output_names_parse_and_unknown_names_are_bad_input()
    {
        Assert.Equal(PredictionOutputs.Npy | PredictionOutputs.Ply, PredictionOutputNames.Parse("npy, ply"));
        Assert.Equal(PredictionOutputs.Default, PredictionOutputNames.Parse("default"));
        Assert.Throws<InputException>(() => PredictionOutputNames.Parse("npy,jpeg2000"));
    }
}

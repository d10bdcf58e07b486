using System.Text.Json.Nodes;
using Mlda.Core;
using Mlda.Core.Prediction;
using Mlda.Export;
using Mlda.Networks;
using Mlda.Runtime;

namespace Mlda.Tests.Runtime;

/// <summary>The exported model through ONNX Runtime alone, and every way a model folder can be wrong.</summary>
public class OnnxDepthModelTests : IClassFixture<OnnxDepthModelTests.SmallExport>
{
    public sealed class SmallExport : IDisposable
    {
        public TempDir Dir { get; } = new();

        public SmallExport()
        {
            using var nets = MldaNetworks.Create(new ModelOptions(Height: 64, Width: 128), imageNetPretrained: false, seed: 3, withPose: false);
            nets.Eval();
            OnnxExporter.Export(nets, Dir.Path, ExportOptions.ForMode("mono"));
        }

        public void Dispose() => Dir.Dispose();
    }

    readonly SmallExport _export;

    public OnnxDepthModelTests(SmallExport export) => _export = export;

    /// <summary>A copy of the exported folder to break (the ONNX files are large: only model.json is copied, the graph linked).</summary>
    TempDir CopyOfExport(bool copyGraph = false)
    {
        var copy = new TempDir();
        foreach (var f in Directory.GetFiles(_export.Dir.Path))
        {
            var target = Path.Combine(copy.Path, Path.GetFileName(f));
            if (f.EndsWith(".json", StringComparison.Ordinal) || copyGraph) File.Copy(f, target);
            else File.CreateSymbolicLink(target, f);
        }
        return copy;
    }

    [Fact]
    public void Runtime_does_not_depend_on_TorchSharp_even_transitively()
    {
        var seen = AssemblyReferences.Transitive(typeof(OnnxDepthModel).Assembly);
        Assert.DoesNotContain(seen, n => n.Contains("TorchSharp", StringComparison.OrdinalIgnoreCase));
        Assert.Contains("Mlda.Core", seen);
        Assert.Contains("Microsoft.ML.OnnxRuntime", seen);
    }

    [Fact]
    public void Mono_export_has_no_metric_scale_and_infers_kitti_images_at_their_size()
    {
        using var model = OnnxDepthModel.Load(_export.Dir.Path, new RuntimeOptions(IntraOpThreads: 1));
        Assert.Equal("M", model.Manifest.TrainingMode);
        Assert.Null(model.Manifest.StereoScale);
        Assert.False(model.Manifest.Scaling().IsMetric);
        Assert.True(model.Manifest.Scaling(2.0).IsMetric);
        using var dir = new TempDir();
        var image = Path.Combine(SharedData.KittiRawSample, SharedData.Date, SharedData.Drive, "image_02", "data", "0000000000.png");
        var summary = PredictionRun.Run(new DepthPredictor(model, model.Manifest.Scaling()), new PredictionRequest(image, dir.Path, PredictionOutputs.Npy));
        var depth = Mlda.Core.IO.Npy.ReadFloatMap(Path.Combine(dir.Path, "0000000000_depth.npy"));
        Assert.Equal((375, 1242), (depth.Height, depth.Width));
        Assert.All(depth.Values, v => Assert.InRange(v, 0.1f - 1e-4f, 100f));
        Assert.Equal(2, summary.Files.Count);
    }

    [Fact]
    public void Batches_of_different_sizes_run_through_the_dynamic_batch()
    {
        using var model = OnnxDepthModel.Load(_export.Dir.Path, new RuntimeOptions(IntraOpThreads: 1));
        foreach (var batch in new[] { 1, 3 })
        {
            var d = model.PredictDisparity(ExportVerifier.RandomImages(batch, 64, 128), batch);
            Assert.Equal(batch * 64 * 128, d.Length);
            Assert.All(d, v => Assert.InRange(v, 0f, 1f));
        }
    }

    [Fact]
    public void Missing_folder_or_manifest_is_bad_input()
    {
        using var empty = new TempDir();
        var e1 = Assert.Throws<InputException>(() => OnnxDepthModel.Load(empty["nope"]));
        Assert.Contains("nope", e1.Message);
        var e2 = Assert.Throws<InputException>(() => OnnxDepthModel.Load(empty.Path));
        Assert.Contains("model.json", e2.Message);
    }

    [Fact]
    public void Corrupt_model_file_is_bad_input_naming_it()
    {
        using var copy = CopyOfExport();
        var onnx = Path.Combine(copy.Path, OnnxExporter.FusedFile);
        File.Delete(onnx);
        File.WriteAllBytes(onnx, [0x08, 0x07, 0xff, 0xff, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
        var e = Assert.Throws<InputException>(() => OnnxDepthModel.Load(copy.Path));
        Assert.Contains("mlda.onnx", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Theory]
    [InlineData("height", 96, "does not match the graph")]
    [InlineData("width", 100, "multiples of 32")]
    [InlineData("minDepth", -1.0, "minDepth")]
    [InlineData("trainingMode", "semi", "trainingMode")]
    [InlineData("inputName", "rgb", "inputName")]
    public void Inconsistent_manifest_is_bad_input_naming_model_json(string field, object value, string expected)
    {
        using var copy = CopyOfExport();
        var path = Path.Combine(copy.Path, ModelManifest.FileName);
        var json = JsonNode.Parse(File.ReadAllText(path))!;
        json[field] = JsonValue.Create(value);
        File.WriteAllText(path, json.ToJsonString());
        var e = Assert.Throws<InputException>(() => OnnxDepthModel.Load(copy.Path));
        Assert.Contains("model.json", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Malformed_json_reports_the_line()
    {
        using var copy = CopyOfExport();
        var path = Path.Combine(copy.Path, ModelManifest.FileName);
        File.WriteAllText(path, "{\n  \"formatVersion\": 1,\n  \"height\": ,\n}");
        var e = Assert.Throws<InputException>(() => OnnxDepthModel.Load(copy.Path));
        Assert.Equal(3, e.Line);
    }
}

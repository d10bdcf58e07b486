using Mlda.Export;
using Mlda.Networks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Mlda.Tests.Export;

/// <summary>
/// The exported graphs against the TorchSharp networks, at 64x192 (every level, including the 2x6 guided filter
/// at level 4) with non-trivial batch-norm statistics, on random and real images, same batch on both sides.
/// </summary>
public class ExportParityTests : IClassFixture<ExportParityTests.ExportedModel>
{
    /// <summary>
    /// The target, for every input here. Two things once kept ONNX Runtime 5e-3 to 2e-2 away on a trained
    /// model, both in the decoder's gates and guided filters (not rounding): ONNX Runtime's float32 Sigmoid clamps
    /// near ±18 while LibTorch's reaches 1e-16, and the guided filter's window means are ratios of those weights; and
    /// the cumulative-sum box filter lost all digits of windows whose weights are that small. With the gate's sigmoid
    /// in float64 and a direct window sum, the demo's trained 320x96 model agrees to 4e-7 on three KITTI images.
    /// </summary>
    public const double Tolerance = 1e-4;

    /// <summary>One export shared by the tests of this class (an export takes a few seconds).</summary>
    public sealed class ExportedModel : IDisposable
    {
        public TempDir Dir { get; } = new();
        public MldaNetworks Nets { get; }
        public ExportResult Result { get; }

        public ExportedModel()
        {
            Nets = Create();
            Result = OnnxExporter.Export(Nets, Dir.Path, new ExportOptions());
        }

        public void Dispose()
        {
            Nets.Dispose();
            Dir.Dispose();
        }

        /// <summary>The 64x192 test network: seeded convolutions, non-trivial batch norms, unit-scale features.</summary>
        public static MldaNetworks Create()
        {
            var nets = MldaNetworks.Create(new ModelOptions(Height: 64, Width: 192), imageNetPretrained: false, seed: 11, withPose: false);
            ReinitialiseConvolutions(nets, 11);
            RandomiseBatchNorms(nets, 5);
            nets.Eval();
            NormaliseFeatureScale(nets);
            return nets;
        }
    }

    /// <summary>
    /// The reference's N(0, √(2/fan_in)) convolution init drawn from a private generator: test classes run in
    /// parallel and share TorchSharp's global generator, which made MldaNetworks.Create's weights vary between runs.
    /// </summary>
    internal static void ReinitialiseConvolutions(MldaNetworks nets, long seed)
    {
        using var _ = no_grad();
        using var gen = new Generator((ulong)seed);
        foreach (var (_, module) in nets.Named())
        foreach (var (_, m) in module.named_modules())
        {
            if (m is not Conv2d conv) continue;
            var w = conv.weight!;
            double fanIn = w.shape[1] * w.shape[2] * w.shape[3];
            w.copy_(randn(w.shape, generator: gen) * Math.Sqrt(2.0 / fanIn));
            conv.bias?.zero_();
        }
    }

    /// <summary>Running statistics and affine parameters away from (0, 1), so folding is really exercised.</summary>
    internal static void RandomiseBatchNorms(MldaNetworks nets, long seed)
    {
        using var _ = no_grad();
        using var gen = new Generator((ulong)seed);
        foreach (var (_, module) in nets.Named())
        foreach (var (_, m) in module.named_modules())
        {
            if (m is not BatchNorm2d bn) continue;
            long c = bn.num_features;
            bn.running_mean!.copy_(randn(c, generator: gen) * 0.1);
            bn.running_var!.copy_(rand(c, generator: gen) * 0.5 + 0.75);
            bn.weight!.copy_(rand(c, generator: gen) * 0.5 + 0.75);
            bn.bias!.copy_(randn(c, generator: gen) * 0.1);
        }
    }

    /// <summary>
    /// At the reference's random initialisation the encoder's features reach magnitudes of 100-200 and the decoder
    /// is then chaotic: in TorchSharp alone, a 1e-6 relative perturbation of the features moves the disparity by up
    /// to 0.08, so no float32 re-implementation can agree to 1e-4 there. A trained encoder's features are O(1)
    /// (its batch norms and GA output convolutions learn that); this rescales each GA output convolution so each
    /// feature has unit standard deviation on a random batch, which makes the network as well-conditioned as a
    /// trained one (features ×0.01 → a 1e-6 perturbation moves the disparity by ~1e-6).
    /// </summary>
    internal static void NormaliseFeatureScale(MldaNetworks nets)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var images = tensor(ExportVerifier.RandomImages(2, nets.Options.Height, nets.Options.Width, seed: 99), [2, 3, nets.Options.Height, nets.Options.Width]);
        var features = nets.Encoder.call(images);
        string[] blocks = ["anet_64_1", "anet_64_2", "anet_128", "anet_256", "anet_512"];
        for (int l = 0; l < 5; l++)
        {
            var ga = Mlda.Export.ModuleTree.Find<GlobalAttention>(nets.Encoder, blocks[l]);
            ga.local_weight.weight!.div_(features[l].std());
        }
    }

    readonly ExportedModel _model;

    public ExportParityTests(ExportedModel model) => _model = model;

    [Fact]
    public void Export_writes_the_three_graphs_and_the_manifest()
    {
        foreach (var f in new[] { OnnxExporter.EncoderFile, OnnxExporter.DepthFile, OnnxExporter.FusedFile, "model.json" })
            Assert.True(File.Exists(Path.Combine(_model.Dir.Path, f)), f);
        var m = Core.Prediction.ModelManifest.Load(_model.Dir.Path);
        Assert.Equal((64, 192), (m.Height, m.Width));
        Assert.Equal(17, m.Opset);
        Assert.Equal(5.4, m.StereoScale);
        var onnx = Onnx.ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(_model.Dir.Path, OnnxExporter.FusedFile)));
        Assert.Equal(17, onnx.OpsetImport.Single().Version);
        Assert.Equal(OnnxGraph.BatchDim, onnx.Graph.Input[0].Type.TensorType.Shape.Dim[0].DimParam);
        Assert.DoesNotContain(onnx.Graph.Node, n => n.OpType == "BatchNormalization");
    }

    /// <summary>Uniform noise, the hardest input; also checks the difference is of the order of TorchSharp's own rounding sensitivity.</summary>
    [Fact]
    public void Random_noise_images_batch_2_match_to_float32_sensitivity()
    {
        var images = ExportVerifier.RandomImages(2, 64, 192);
        var r = ExportVerifier.Compare(_model.Nets, _model.Dir.Path, "random", images, 2);
        Assert.True(r.FusedMaxAbsDiff <= Tolerance, $"fused {r.FusedMaxAbsDiff}");
        Assert.True(r.SplitMaxAbsDiff <= Tolerance, $"split {r.SplitMaxAbsDiff}");
        AssertNotDegenerate(images, 2);

        double selfSensitivity = SelfSensitivity(images, 2);
        Assert.True(r.MaxAbsDiff <= 10 * Math.Max(selfSensitivity, 1e-6), $"ONNX {r.MaxAbsDiff} vs TorchSharp's own 1e-6 sensitivity {selfSensitivity}");
        Console.WriteLine($"parity noise batch 2: {r.MaxAbsDiff:E2}; TorchSharp vs itself, input x(1±1e-6): {selfSensitivity:E2}");
    }

    /// <summary>
    /// Batch 1 to the target. At batch 3 this random-weight network is itself chaotic at float32 rounding level (its
    /// GA softmaxes are nearly one-hot: TorchSharp against itself with the input x(1 ± 1e-6) moves ~1e-4 here), so the
    /// batch is held to ten times that self-sensitivity; the shut-gates network below and trained models meet 1e-4.
    /// </summary>
    [Fact]
    public void Real_images_batch_1_and_batch_3_match_within_tolerance()
    {
        var files = Enumerable.Range(0, 3).Select(i => Path.Combine(SharedData.KittiRawSample, SharedData.Date, SharedData.Drive, "image_02", "data", $"{i:D10}.png")).ToList();
        var three = ExportVerifier.RealImages(files, 64, 192);
        var one = three.AsSpan(0, 3 * 64 * 192).ToArray();
        var single = ExportVerifier.Compare(_model.Nets, _model.Dir.Path, "kitti", one, 1);
        Assert.True(single.MaxAbsDiff <= Tolerance, $"batch 1: fused {single.FusedMaxAbsDiff}, split {single.SplitMaxAbsDiff}");
        var batch3 = ExportVerifier.Compare(_model.Nets, _model.Dir.Path, "kitti", three, 3);
        double self3 = SelfSensitivity(three, 3);
        Assert.True(batch3.MaxAbsDiff <= Math.Max(Tolerance, 10 * self3), $"batch 3: fused {batch3.FusedMaxAbsDiff}, split {batch3.SplitMaxAbsDiff}, TorchSharp's own {self3}");
        Console.WriteLine($"parity kitti batch 1: {single.MaxAbsDiff:E2}, batch 3: {batch3.MaxAbsDiff:E2} (TorchSharp vs itself, input x(1±1e-6): {self3:E2})");
    }

    /// <summary>
    /// Both float32 engines against the same networks in float64 on real frames: the export must be no further from the
    /// exact answer than TorchSharp's own float32 networks are (within a factor 2, plus 1e-6 for ordinary rounding), and
    /// the float64 copy must really differ from float32 (else the comparison compares float32 with itself).
    /// </summary>
    [Fact]
    public void Onnx_runtime_is_as_close_to_the_float64_networks_as_torchsharp_float32()
    {
        var files = Enumerable.Range(0, 3).Select(i => Path.Combine(SharedData.KittiRawSample, SharedData.Date, SharedData.Drive, "image_02", "data", $"{i:D10}.png")).ToList();
        var three = ExportVerifier.RealImages(files, 64, 192);
        foreach (var (images, batch) in new[] { (three.AsSpan(0, 3 * 64 * 192).ToArray(), 1), (three, 3) })
        {
            var c = ExportVerifier.Compare(_model.Nets, _model.Dir.Path, "kitti", images, batch, againstFloat64: true);
            double onnx = c.FusedVsFloat64!.Value, torch = c.TorchVsFloat64!.Value;
            Console.WriteLine($"against float64, kitti batch {batch}: ONNX Runtime {onnx:E2}, TorchSharp float32 {torch:E2}");
            Assert.True(torch > 0, "the float64 copy gave TorchSharp's float32 result exactly");
            Assert.True(onnx <= 2 * torch + 1e-6, $"batch {batch}: ONNX Runtime {onnx}, TorchSharp {torch}");
        }
    }

    /// <summary>
    /// Trained structure-attention gates shut far below ONNX Runtime's float32 Sigmoid floor (about 1.5e-8): the
    /// demo's model has gate values of 1e-16. Shifting every gate's logit by −30 puts this network in that regime;
    /// a float32 Sigmoid in the graph misses here by whole units of the guided filter's output.
    /// </summary>
    [Fact]
    public void Shut_attention_gates_match_within_tolerance()
    {
        using var dir = new TempDir();
        using var nets = ExportedModel.Create();
        using (no_grad())
            foreach (var (_, m) in nets.Depth.named_modules())
                if (m is StructureAttentionGate gate) gate.psi.bias!.sub_(30);
        OnnxExporter.Export(nets, dir.Path, new ExportOptions());
        var files = Enumerable.Range(0, 3).Select(i => Path.Combine(SharedData.KittiRawSample, SharedData.Date, SharedData.Drive, "image_02", "data", $"{i:D10}.png")).ToList();
        var images = ExportVerifier.RealImages(files, 64, 192);
        var r = ExportVerifier.Compare(nets, dir.Path, "kitti", images, 3);
        var noise = ExportVerifier.Compare(nets, dir.Path, "random", ExportVerifier.RandomImages(2, 64, 192), 2);
        Console.WriteLine($"parity, shut gates: kitti batch 3 {r.MaxAbsDiff:E2}, noise batch 2 {noise.MaxAbsDiff:E2}");
        Assert.True(r.MaxAbsDiff <= Tolerance, $"kitti: fused {r.FusedMaxAbsDiff}, split {r.SplitMaxAbsDiff}");
        Assert.True(noise.MaxAbsDiff <= Tolerance, $"noise: fused {noise.FusedMaxAbsDiff}, split {noise.SplitMaxAbsDiff}");
        AssertNotDegenerate(nets, images, 3);
    }

    [Fact]
    public void Batch_composition_changes_the_result_on_both_sides_alike()
    {
        // The guided filter's batch-wide normaliser: image 0 alone differs from image 0 in a batch of 2.
        var images = ExportVerifier.RandomImages(2, 64, 192, seed: 3);
        using var torchModel = new Mlda.Prediction.TorchDisparityModel(_model.Nets, ownsNetworks: false);
        var pair = torchModel.PredictDisparity(images, 2);
        var single = torchModel.PredictDisparity(images.AsSpan(0, 3 * 64 * 192).ToArray(), 1);
        double batchEffect = ExportVerifier.MaxAbsDiff(pair.AsSpan(0, 64 * 192).ToArray(), single);
        Assert.True(batchEffect > 1e-6, $"batch effect {batchEffect}");
    }

    /// <summary>TorchSharp against itself with every input value scaled by (1 ± 1e-6).</summary>
    double SelfSensitivity(float[] images, int batch)
    {
        using var torchModel = new Mlda.Prediction.TorchDisparityModel(_model.Nets, ownsNetworks: false);
        var reference = torchModel.PredictDisparity(images, batch);
        var rng = new Random(5);
        var nudged = images.Select(v => (float)(v * (1 + 1e-6 * (rng.NextDouble() * 2 - 1)))).ToArray();
        return ExportVerifier.MaxAbsDiff(reference, torchModel.PredictDisparity(nudged, batch));
    }

    void AssertNotDegenerate(float[] images, int batch) => AssertNotDegenerate(_model.Nets, images, batch);

    static void AssertNotDegenerate(MldaNetworks nets, float[] images, int batch)
    {
        using var torchModel = new Mlda.Prediction.TorchDisparityModel(nets, ownsNetworks: false);
        var d = torchModel.PredictDisparity(images, batch);
        double mean = d.Average(v => (double)v);
        double sd = Math.Sqrt(d.Average(v => (v - mean) * (v - mean)));
        Assert.True(sd > 1e-3 && mean > 0.01 && mean < 0.99, $"disparity mean {mean}, sd {sd}: comparison would be vacuous");
    }
}

using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Mlda.Networks;

/// <summary>
/// The depth decoder (reference <c>DepthDecoderAttention_edge</c>). At each level i = 4..0:
/// a = upconv_i_0(x) at h×w; hr = upconv_i_2([nearest×2(a), feature_{i−1}]) at 2h×2w; lr = hr resized by 1/2;
/// att = edge_i(lr, a); x = guided filter(lr, a, hr, att); disp_i = σ(dispconv_i(x)) for i in the scales.
/// State-dict names follow the reference's <c>decoder.{idx}</c> table (<c>networks/depth_decoder_sa_edge.py</c>). Deviation: the never-called
/// <c>ConvBlock_attention</c> blocks (idx 7, 10, 13, 16, 19; 4.02 M parameters) are not built, and idx 0, the
/// parameterless guided filter, is a function.
/// </summary>
public sealed class DepthDecoder : Module<Tensor[], Tensor[]>
{
    public static readonly long[] DecoderChannels = [16, 32, 64, 128, 256];

    readonly StructureAttentionGate[] edge = new StructureAttentionGate[5];  // by level
    readonly ConvBlock[] upconv0 = new ConvBlock[5];
    readonly ConvBlock[] upconv2 = new ConvBlock[5];
    readonly Conv3x3[] dispconv;
    readonly int[] scales;

    /// <summary>The reference's registration order: idx of edge_i, upconv_i_0, upconv_i_2, dispconv_s.</summary>
    public static int EdgeIndex(int level) => 1 + (4 - level);
    public static int UpconvIndex(int level, int j) => 6 + 3 * (4 - level) + j;
    public static int DispconvIndex(int scale) => 21 + scale;

    public IReadOnlyList<int> Scales => scales;

    public DepthDecoder(string name, int[]? scales = null) : base(name)
    {
        this.scales = scales ?? [0, 1, 2, 3];
        if (this.scales.Length is 0 or > 4 || this.scales.Where((s, i) => s != i).Any())
            throw new ArgumentException($"scales must be 0..k with k <= 3, got [{string.Join(",", this.scales)}]");
        var enc = MldaEncoder.Channels;
        var table = new IndexedLayers("decoder");
        for (var i = 4; i >= 0; i--)
        {
            edge[i] = new StructureAttentionGate($"edge{i}", DecoderChannels[i]);
            table.Add(EdgeIndex(i), edge[i]);
        }
        for (var i = 4; i >= 0; i--)
        {
            var cin0 = i == 4 ? enc[4] : DecoderChannels[i + 1];
            upconv0[i] = new ConvBlock($"upconv{i}_0", cin0, DecoderChannels[i]);
            table.Add(UpconvIndex(i, 0), upconv0[i]);
            var cin2 = i > 0 ? DecoderChannels[i] + enc[i - 1] : DecoderChannels[i];
            upconv2[i] = new ConvBlock($"upconv{i}_2", cin2, DecoderChannels[i]);
            table.Add(UpconvIndex(i, 2), upconv2[i]);
        }
        dispconv = new Conv3x3[this.scales.Length];
        foreach (var s in this.scales)
        {
            dispconv[s] = new Conv3x3($"dispconv{s}", DecoderChannels[s], 1);
            table.Add(DispconvIndex(s), dispconv[s]);
        }
        register_module("decoder", table);
    }

    /// <summary>
    /// The reference's ×1/2 bilinear resize (align_corners=False, no antialiasing) samples at 2i+0.5, i.e. it is
    /// exactly a 2×2 average at even sizes; the pooling form is cheaper and exports plainly.
    /// </summary>
    public static Tensor HalfSize(Tensor x) => functional.avg_pool2d(x, 2, stride: 2);

    /// <summary>
    /// features: the encoder's five maps. Returns the sigmoid disparities indexed by scale:
    /// [disp0 (H×W), disp1 (H/2), disp2 (H/4), disp3 (H/8)] for the default scales.
    /// </summary>
    public override Tensor[] forward(Tensor[] features)
    {
        if (features.Length != 5) throw new ArgumentException($"the depth decoder takes 5 features, got {features.Length}");
        using var scope = NewDisposeScope();
        var disps = new Tensor[scales.Length];
        var x = features[4];
        for (var i = 4; i >= 0; i--)
        {
            var low = upconv0[i].call(x);
            var up = functional.interpolate(low, scale_factor: [2.0, 2.0], mode: InterpolationMode.Nearest);
            var high = upconv2[i].call(i > 0 ? cat([up, features[i - 1]], 1) : up);
            var half = HalfSize(high);
            var attention = edge[i].call(half, low);
            x = AttentionGuidedFilter.Apply(half, low, high, attention);
            if (i < disps.Length) disps[i] = sigmoid(dispconv[i].call(x));
        }
        foreach (var d in disps) d.MoveToOuterDisposeScope();
        return disps;
    }

    /// <summary>A module whose children are registered under the reference's numeric indices (with gaps).</summary>
    sealed class IndexedLayers : Module
    {
        public IndexedLayers(string name) : base(name) { }
        public void Add(int index, Module module) => register_module(index.ToString(), module);
    }
}

using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Mlda.Networks;

/// <summary>
/// The MLDA encoder (reference <c>ResnetEncoder_multi_sa_add_reduce_640</c>), used for depth (3 channels) and,
/// with two stacked images, as the pose encoder (6 channels).
/// Path A is an unmodified ResNet-18 on the normalised image. Path B (MLFE) convolves cascaded bilinear
/// (align_corners=True) resizes of the image at H/2 .. H/32. At each level the two are concatenated, fused by two
/// conv-BN-ReLU layers and passed through a <see cref="GlobalAttention"/> block; the five fused maps are the features.
/// Deviation: the reference hard-codes the side-path sizes for 640x192; here they are derived from the input
/// size, identical at 640x192, so any size divisible by 32 works. Every convolution here pads with zeros.
/// Field names are the reference's state-dict names (convs10, bn10, ..., anet_512, encoder.*).
/// </summary>
public sealed class MldaEncoder : Module<Tensor, Tensor[]>, IPoseEncoder
{
    public static readonly long[] Channels = [64, 64, 128, 256, 512];

    // Path B: two conv(bias)-BN-ReLU layers per level on the resized image.
    readonly Conv2d convs10, convs11, convs20, convs21, convs30, convs31, convs40, convs41, convs50, convs51;
    readonly BatchNorm2d bn10, bn11, bn20, bn21, bn30, bn31, bn40, bn41, bn50, bn51;

    // Fusion of [backbone, side] per level.
    readonly Conv2d convs64_1, convs64_2, convs64_3, convs64_4, convs128_1, convs128_2, convs256_1, convs256_2, convs512_1, convs512_2;
    readonly BatchNorm2d bn64_1, bn64_2, bn64_3, bn64_4, bn128_1, bn128_2, bn256_1, bn256_2, bn512_1, bn512_2;

    readonly GlobalAttention anet_64_1, anet_64_2, anet_128, anet_256, anet_512;

    /// <summary>Path A, the ResNet-18 backbone (state-dict prefix <c>encoder.</c>).</summary>
    public readonly ResNetBackbone encoder;

    public int NumInputImages { get; }
    public int Height { get; }
    public int Width { get; }

    public MldaEncoder(string name, int numInputImages, int height, int width) : base(name)
    {
        if (numInputImages < 1) throw new ArgumentOutOfRangeException(nameof(numInputImages));
        if (height % 32 != 0 || width % 32 != 0 || height <= 0 || width <= 0)
            throw new ArgumentException($"the encoder needs a height and width divisible by 32, got {width}x{height}");
        NumInputImages = numInputImages;
        Height = height;
        Width = width;
        var cin = 3L * numInputImages;

        anet_512 = new GlobalAttention("anet_512", 512);
        anet_128 = new GlobalAttention("anet_128", 128);
        anet_64_1 = new GlobalAttention("anet_64_1", 64);
        anet_64_2 = new GlobalAttention("anet_64_2", 64);
        anet_256 = new GlobalAttention("anet_256", 256);

        (convs10, bn10) = ConvBn(cin, 64); (convs11, bn11) = ConvBn(64, 64);
        (convs20, bn20) = ConvBn(cin, 64); (convs21, bn21) = ConvBn(64, 64);
        (convs30, bn30) = ConvBn(cin, 128); (convs31, bn31) = ConvBn(128, 128);
        (convs40, bn40) = ConvBn(cin, 256); (convs41, bn41) = ConvBn(256, 256);
        (convs50, bn50) = ConvBn(cin, 512); (convs51, bn51) = ConvBn(512, 512);

        (convs64_1, bn64_1) = ConvBn(128, 64); (convs64_2, bn64_2) = ConvBn(64, 64);
        (convs64_3, bn64_3) = ConvBn(128, 64); (convs64_4, bn64_4) = ConvBn(64, 64);
        (convs128_1, bn128_1) = ConvBn(256, 128); (convs128_2, bn128_2) = ConvBn(128, 128);
        (convs256_1, bn256_1) = ConvBn(512, 256); (convs256_2, bn256_2) = ConvBn(256, 256);
        (convs512_1, bn512_1) = ConvBn(1024, 512); (convs512_2, bn512_2) = ConvBn(512, 512);

        encoder = new ResNetBackbone("encoder", (int)cin);
        RegisterComponents();
    }

    static (Conv2d, BatchNorm2d) ConvBn(long cin, long cout) =>
        (Conv2d(cin, cout, 3, stride: 1, padding: 1, bias: true), BatchNorm2d(cout));

    static Tensor Cbr(Conv2d conv, BatchNorm2d bn, Tensor x) => functional.relu(bn.call(conv.call(x)));

    /// <summary>The reference's input normalisation, inside the network: (x − 0.45) / 0.225.</summary>
    public static Tensor Normalise(Tensor image) => (image - 0.45) / 0.225;

    /// <summary>Cascaded side-path inputs x1..x5 at H/2..H/32: each resized from the previous one (as the reference).</summary>
    Tensor[] SideInputs(Tensor x, int levels)
    {
        var h = x.shape[2];
        var w = x.shape[3];
        var result = new Tensor[levels];
        var prev = x;
        for (var l = 0; l < levels; l++)
        {
            var size = new[] { h >> (l + 1), w >> (l + 1) };
            prev = functional.interpolate(prev, size, mode: InterpolationMode.Bilinear, align_corners: true);
            result[l] = prev;
        }
        return result;
    }

    void CheckInput(Tensor image)
    {
        if (image.dim() != 4 || image.shape[1] != 3 * NumInputImages || image.shape[2] % 32 != 0 || image.shape[3] % 32 != 0)
            throw new ArgumentException($"{GetName()} expects [B,{3 * NumInputImages},H,W] with H, W divisible by 32, got [{string.Join(",", image.shape)}]");
    }

    /// <summary>Input [B,3n,H,W] RGB in [0,1]; returns the five fused features at H/2, H/4, H/8, H/16, H/32.</summary>
    public override Tensor[] forward(Tensor image)
    {
        CheckInput(image);
        using var scope = NewDisposeScope();
        var x = Normalise(image);
        var side = SideInputs(x, 5);
        var p0 = Cbr(convs11, bn11, Cbr(convs10, bn10, side[0]));
        var p1 = Cbr(convs21, bn21, Cbr(convs20, bn20, side[1]));
        var p2 = Cbr(convs31, bn31, Cbr(convs30, bn30, side[2]));
        var p3 = Cbr(convs41, bn41, Cbr(convs40, bn40, side[3]));
        var p4 = Cbr(convs51, bn51, Cbr(convs50, bn50, side[4]));

        var r0 = encoder.Stem(x);
        var f0 = anet_64_1.call(Cbr(convs64_2, bn64_2, Cbr(convs64_1, bn64_1, cat([r0, p0], 1))));
        var r1 = encoder.Layer1(r0);
        var f1 = anet_64_2.call(Cbr(convs64_4, bn64_4, Cbr(convs64_3, bn64_3, cat([r1, p1], 1))));
        var r2 = encoder.layer2.call(r1);
        var f2 = anet_128.call(Cbr(convs128_2, bn128_2, Cbr(convs128_1, bn128_1, cat([r2, p2], 1))));
        var r3 = encoder.layer3.call(r2);
        var f3 = anet_256.call(Cbr(convs256_2, bn256_2, Cbr(convs256_1, bn256_1, cat([r3, p3], 1))));
        var r4 = encoder.layer4.call(r3);
        var f4 = anet_512.call(Cbr(convs512_2, bn512_2, Cbr(convs512_1, bn512_1, cat([r4, p4], 1))));
        var features = new[] { f0, f1, f2, f3, f4 };
        foreach (var f in features) f.MoveToOuterDisposeScope();
        return features;
    }

    /// <summary>
    /// Only feature4, the one the pose decoder reads. Skips the side-path levels 0-3, their fusion and GA blocks
    /// (in the pose encoder they never reach the loss: <c>pose_decoder.py</c> reads the last level only); equal to <c>forward(x)[4]</c>.
    /// </summary>
    public Tensor ForwardLastLevel(Tensor image)
    {
        CheckInput(image);
        using var scope = NewDisposeScope();
        var x = Normalise(image);
        var side = SideInputs(x, 5);
        var p4 = Cbr(convs51, bn51, Cbr(convs50, bn50, side[4]));
        var r4 = encoder.layer4.call(encoder.layer3.call(encoder.layer2.call(encoder.Layer1(encoder.Stem(x)))));
        var f4 = anet_512.call(Cbr(convs512_2, bn512_2, Cbr(convs512_1, bn512_1, cat([r4, p4], 1))));
        return f4.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Parameter-name prefixes that never receive a gradient when this encoder is only used through
    /// <see cref="ForwardLastLevel"/> (the pose encoder): side-path levels 0-3, their fusion convs and GA blocks.
    /// </summary>
    public static readonly string[] DeadPrefixesWhenLastLevelOnly =
    [
        "convs10.", "bn10.", "convs11.", "bn11.", "convs20.", "bn20.", "convs21.", "bn21.",
        "convs30.", "bn30.", "convs31.", "bn31.", "convs40.", "bn40.", "convs41.", "bn41.",
        "convs64_1.", "bn64_1.", "convs64_2.", "bn64_2.", "convs64_3.", "bn64_3.", "convs64_4.", "bn64_4.",
        "convs128_1.", "bn128_1.", "convs128_2.", "bn128_2.", "convs256_1.", "bn256_1.", "convs256_2.", "bn256_2.",
        "anet_64_1.", "anet_64_2.", "anet_128.", "anet_256.",
    ];

    Module<Tensor, Tensor[]> IPoseEncoder.Module => this;
}

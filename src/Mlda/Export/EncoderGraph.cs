using Mlda.Networks;
using TorchSharp.Modules;

namespace Mlda.Export;

/// <summary>
/// Writes the MLDA encoder (<see cref="MldaEncoder"/>) into a graph: normalisation, the cascaded
/// align-corners side path with its conv-BN-ReLU pairs, the ResNet-18 trunk, per-level fusion and GA blocks.
/// Every batch norm is folded into its convolution.
/// </summary>
public static class EncoderGraph
{
    /// <summary>Returns the five feature names (H/2 .. H/32).</summary>
    public static string[] Write(OnnxGraph g, string image, MldaEncoder encoder, int height, int width)
    {
        var x = g.Node("Div", [g.Node("Sub", [image, g.Scalar("mean", 0.45f)]), g.Scalar("std", 0.225f)]);

        // Path B: cascaded bilinear (align_corners) resizes, each from the previous one.
        string[] side = new string[5];
        var prev = x;
        for (int l = 0; l < 5; l++)
        {
            prev = OnnxLayers.ResizeBilinearExact(g, prev, height >> l, width >> l, height >> (l + 1), width >> (l + 1), alignCorners: true);
            side[l] = prev;
        }
        var p = new string[5];
        for (int l = 0; l < 5; l++)
        {
            var a = Cbr(g, encoder, $"convs{l + 1}0", $"bn{l + 1}0", side[l]);
            p[l] = Cbr(g, encoder, $"convs{l + 1}1", $"bn{l + 1}1", a);
        }

        // Path A: the ResNet trunk.
        var r0 = OnnxLayers.Relu(g, OnnxLayers.Conv(g, x, Conv(encoder, "encoder.conv1"), Bn(encoder, "encoder.bn1"), "encoder_conv1"));
        var r1 = Layer(g, encoder, "encoder.layer1", OnnxLayers.MaxPool(g, r0, 3, 2, 1));
        var r2 = Layer(g, encoder, "encoder.layer2", r1);
        var r3 = Layer(g, encoder, "encoder.layer3", r2);
        var r4 = Layer(g, encoder, "encoder.layer4", r3);
        var r = new[] { r0, r1, r2, r3, r4 };

        string[][] fusion =
        [
            ["convs64_1", "bn64_1", "convs64_2", "bn64_2", "anet_64_1"],
            ["convs64_3", "bn64_3", "convs64_4", "bn64_4", "anet_64_2"],
            ["convs128_1", "bn128_1", "convs128_2", "bn128_2", "anet_128"],
            ["convs256_1", "bn256_1", "convs256_2", "bn256_2", "anet_256"],
            ["convs512_1", "bn512_1", "convs512_2", "bn512_2", "anet_512"],
        ];
        var features = new string[5];
        for (int l = 0; l < 5; l++)
        {
            var f = fusion[l];
            var fused = Cbr(g, encoder, f[2], f[3], Cbr(g, encoder, f[0], f[1], OnnxLayers.Concat(g, r[l], p[l])));
            var ga = ModuleTree.Find<GlobalAttention>(encoder, f[4]);
            features[l] = OnnxLayers.GlobalAttention(g, fused, ga.K, ga.Q, ga.V, ga.local_weight, ga.Channels, height >> (l + 1), width >> (l + 1), f[4]);
        }
        return features;
    }

    static Conv2d Conv(MldaEncoder e, string path) => ModuleTree.Find<Conv2d>(e, path);

    static BatchNorm2d Bn(MldaEncoder e, string path) => ModuleTree.Find<BatchNorm2d>(e, path);

    static string Cbr(OnnxGraph g, MldaEncoder e, string conv, string bn, string x) =>
        OnnxLayers.Relu(g, OnnxLayers.Conv(g, x, Conv(e, conv), Bn(e, bn), conv));

    static string Layer(OnnxGraph g, MldaEncoder e, string layer, string x)
    {
        for (int b = 0; ModuleTree.Has(e, $"{layer}.{b}"); b++)
        {
            var block = $"{layer}.{b}";
            var name = block.Replace('.', '_');
            var y = OnnxLayers.Relu(g, OnnxLayers.Conv(g, x, Conv(e, block + ".conv1"), Bn(e, block + ".bn1"), name + "_conv1"));
            y = OnnxLayers.Conv(g, y, Conv(e, block + ".conv2"), Bn(e, block + ".bn2"), name + "_conv2");
            var identity = ModuleTree.Has(e, block + ".downsample")
                ? OnnxLayers.Conv(g, x, Conv(e, block + ".downsample.0"), Bn(e, block + ".downsample.1"), name + "_downsample")
                : x;
            x = OnnxLayers.Relu(g, OnnxLayers.Add(g, y, identity));
        }
        return x;
    }
}

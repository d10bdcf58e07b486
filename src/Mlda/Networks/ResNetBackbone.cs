using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Mlda.Networks;

/// <summary>
/// The ResNet-18 trunk (torchvision/Paddle layout: 7x7/2 conv1 without bias, bn1, ReLU, 3x3/2 max pool,
/// layer1..layer4 of basic blocks) without the classifier, which the reference builds but never uses.
/// The constructor's <c>blocksPerLayer</c> is [2,2,2,2] for ResNet-18; the ImageNet import test also builds
/// [2,2,2,3], the topology of the CNTK file.
/// </summary>
public sealed class ResNetBackbone : Module<Tensor, Tensor[]>
{
    public readonly Conv2d conv1;
    public readonly BatchNorm2d bn1;
    public readonly Sequential layer1;
    public readonly Sequential layer2;
    public readonly Sequential layer3;
    public readonly Sequential layer4;

    public static readonly int[] ResNet18Blocks = [2, 2, 2, 2];

    public ResNetBackbone(string name, int inputChannels, int[]? blocksPerLayer = null) : base(name)
    {
        var blocks = blocksPerLayer ?? ResNet18Blocks;
        conv1 = Conv2d(inputChannels, 64, 7, stride: 2, padding: 3, bias: false);
        bn1 = BatchNorm2d(64);
        layer1 = Layer(64, 64, blocks[0], 1);
        layer2 = Layer(64, 128, blocks[1], 2);
        layer3 = Layer(128, 256, blocks[2], 2);
        layer4 = Layer(256, 512, blocks[3], 2);
        RegisterComponents();
    }

    static Sequential Layer(long inChannels, long outChannels, int blocks, long stride)
    {
        var list = new List<(string, Module<Tensor, Tensor>)>();
        for (var i = 0; i < blocks; i++)
            list.Add((i.ToString(), new BasicBlock($"block{i}", i == 0 ? inChannels : outChannels, outChannels, i == 0 ? stride : 1)));
        return Sequential(list);
    }

    /// <summary>relu(bn1(conv1(x))): the level-0 feature, half resolution.</summary>
    public Tensor Stem(Tensor x) => functional.relu(bn1.call(conv1.call(x)));

    /// <summary>3x3/2 max pool with padding 1, then layer1: quarter resolution.</summary>
    public Tensor Layer1(Tensor stem) => layer1.call(functional.max_pool2d(stem, 3, stride: 2, padding: 1));

    /// <summary>The five features [stem, layer1, layer2, layer3, layer4] (monodepth2's ResnetEncoder).</summary>
    public override Tensor[] forward(Tensor x)
    {
        var f0 = Stem(x);
        var f1 = Layer1(f0);
        var f2 = layer2.call(f1);
        var f3 = layer3.call(f2);
        var f4 = layer4.call(f3);
        return [f0, f1, f2, f3, f4];
    }
}

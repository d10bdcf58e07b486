using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Mlda.Networks;

/// <summary>monodepth2's <c>ConvBlock</c>: <see cref="Conv3x3"/> then ELU(α=1). State-dict name of the conv: <c>conv.conv</c>.</summary>
public sealed class ConvBlock : Module<Tensor, Tensor>
{
    public readonly Conv3x3 conv;

    public ConvBlock(string name, long inChannels, long outChannels) : base(name)
    {
        conv = new Conv3x3("conv", inChannels, outChannels);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var y = conv.call(x);
        return functional.elu(y, 1.0);
    }
}

using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Mlda.Networks;

/// <summary>
/// The decoder's 3x3 convolution (monodepth2 <c>Conv3x3</c>): reflection padding 1, then a convolution with bias.
/// Only the decoder pads by reflection; every encoder convolution pads with zeros (<c>resnet_encoder_mulit_sa_add_640_reduce.py</c>).
/// </summary>
public sealed class Conv3x3 : Module<Tensor, Tensor>
{
    public readonly Conv2d conv;

    public Conv3x3(string name, long inChannels, long outChannels) : base(name)
    {
        conv = Conv2d(inChannels, outChannels, 3, bias: true);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var padded = functional.pad(x, [1, 1, 1, 1], PaddingModes.Reflect);
        return conv.call(padded);
    }
}

using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Mlda.Networks;

/// <summary>
/// monodepth2's pose encoder: a plain ResNet-18 whose first convolution takes two stacked images (6 channels),
/// on (x − 0.45)/0.225. An option for CPU budgets (11.2 M parameters instead of 33.8 M); the reference uses
/// <see cref="MldaEncoder"/> with 2 images. State-dict prefix <c>encoder.</c> as monodepth2.
/// </summary>
public sealed class LightPoseEncoder : Module<Tensor, Tensor[]>, IPoseEncoder
{
    public readonly ResNetBackbone encoder;

    public int NumInputImages { get; }

    public LightPoseEncoder(string name, int numInputImages = 2) : base(name)
    {
        NumInputImages = numInputImages;
        encoder = new ResNetBackbone("encoder", 3 * numInputImages);
        RegisterComponents();
    }

    public override Tensor[] forward(Tensor images)
    {
        using var scope = NewDisposeScope();
        var features = encoder.call(MldaEncoder.Normalise(images));
        foreach (var f in features) f.MoveToOuterDisposeScope();
        return features;
    }

    public Tensor ForwardLastLevel(Tensor pair)
    {
        using var scope = NewDisposeScope();
        var x = encoder.Layer1(encoder.Stem(MldaEncoder.Normalise(pair)));
        return encoder.layer4.call(encoder.layer3.call(encoder.layer2.call(x))).MoveToOuterDisposeScope();
    }

    Module<Tensor, Tensor[]> IPoseEncoder.Module => this;
}

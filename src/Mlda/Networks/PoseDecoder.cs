using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Mlda.Networks;

/// <summary>
/// monodepth2's pose decoder as the reference uses it (one input feature, two frames to predict for):
/// squeeze 1×1 512→256 + ReLU, 3×3 256→256 + ReLU twice, 1×1 256→12; mean over W then H; ×0.01;
/// reshaped to [B,2,1,6]. State-dict names <c>net.0</c>..<c>net.3</c>. Only index 0 of dimension 1 is used by training.
/// </summary>
public sealed class PoseDecoder : Module<Tensor, (Tensor AxisAngle, Tensor Translation)>
{
    const int FramesToPredict = 2;
    readonly ModuleList<Conv2d> net;

    public PoseDecoder(string name) : base(name)
    {
        net = new ModuleList<Conv2d>(
            Conv2d(512, 256, 1, bias: true),
            Conv2d(256, 256, 3, stride: 1, padding: 1, bias: true),
            Conv2d(256, 256, 3, stride: 1, padding: 1, bias: true),
            Conv2d(256, 6 * FramesToPredict, 1, bias: true));
        RegisterComponents();
    }

    /// <summary>feature4 [B,512,h,w] of the pose encoder → (axis-angle, translation), each [B,2,1,3].</summary>
    public override (Tensor AxisAngle, Tensor Translation) forward(Tensor lastFeature)
    {
        using var scope = NewDisposeScope();
        var x = functional.relu(net[0].call(lastFeature));
        x = functional.relu(net[1].call(x));
        x = functional.relu(net[2].call(x));
        x = net[3].call(x);
        var pose = (0.01 * x.mean([3]).mean([2])).reshape(-1, FramesToPredict, 1, 6);
        var axisAngle = pose[.., .., .., ..3].MoveToOuterDisposeScope();
        var translation = pose[.., .., .., 3..].MoveToOuterDisposeScope();
        return (axisAngle, translation);
    }

    /// <summary>Convenience for a full feature list: uses its last element.</summary>
    public (Tensor AxisAngle, Tensor Translation) forward(Tensor[] features) => forward(features[^1]);
}

using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Mlda.Networks;

/// <summary>
/// What the pose path needs from a pose encoder (<see cref="MldaEncoder"/> with 2 images, or
/// <see cref="LightPoseEncoder"/>): the last feature level of a [B,6,H,W] image pair.
/// </summary>
public interface IPoseEncoder
{
    /// <summary>Feature4 [B,512,H/32,W/32] of a pair [B,6,H,W] (RGB in [0,1], earlier frame first).</summary>
    Tensor ForwardLastLevel(Tensor pair);

    /// <summary>The encoder as a module: parameters, state dict, train/eval, device moves.</summary>
    Module<Tensor, Tensor[]> Module { get; }
}

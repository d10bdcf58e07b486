using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Mlda.Networks;

/// <summary>
/// The decoder's structure ("edge") attention gate (reference <c>GridAttentionBlock</c>):
/// att = σ(ψ(ReLU(θ(x) + resize(φ(g))))), with 1x1 convolutions θ, φ (C→C) and ψ (C→1), all with bias.
/// x is the half-resolution copy of the upsampled features, g the low-resolution decoder features; both are h×w,
/// so the reference's bilinear resize of φ(g) is the identity and is only applied when sizes differ.
/// </summary>
public sealed class StructureAttentionGate : Module<Tensor, Tensor, Tensor>
{
    public readonly Conv2d theta;
    public readonly Conv2d phi;
    public readonly Conv2d psi;

    public StructureAttentionGate(string name, long channels) : base(name)
    {
        theta = Conv2d(channels, channels, 1, bias: true);
        phi = Conv2d(channels, channels, 1, bias: true);
        psi = Conv2d(channels, 1, 1, bias: true);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x, Tensor g)
    {
        using var scope = NewDisposeScope();
        var thetaX = theta.call(x);
        var phiG = phi.call(g);
        if (phiG.shape[2] != thetaX.shape[2] || phiG.shape[3] != thetaX.shape[3])
            phiG = functional.interpolate(phiG, [thetaX.shape[2], thetaX.shape[3]], mode: InterpolationMode.Bilinear, align_corners: false);
        return sigmoid(psi.call(functional.relu(thetaX + phiG))).MoveToOuterDisposeScope();
    }
}

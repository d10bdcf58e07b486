using Mlda.Interop;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Mlda.Networks;

/// <summary>One network's size: parameters (weights, biases, BN γ/β; running statistics not counted) and the
/// multiply-accumulates of one forward pass for one image (pair) at the model's size.</summary>
public sealed record NetworkCost(string Name, long Parameters, long MultiplyAccumulates, string Note);

/// <summary>
/// Parameter counts and multiply-accumulates of the four networks. MACs count convolutions (output elements ×
/// in-channels/groups × kernel area) and the GA module's two C×C×N matrix products; element-wise work (batch norm,
/// activations, resizes, the guided filter) is left out, as FLOP counters usually do. Measured by running each
/// network once at batch 1 with hooks, so the count follows the code rather than a separate formula.
/// </summary>
public static class NetworkComplexity
{
    public static IReadOnlyList<NetworkCost> Measure(ModelOptions options)
    {
        using var noGc = new NoGcRegion(); // TorchSharp temporaries must outlive their native calls
        using var nets = MldaNetworks.CreateForLoading(options, withPose: true);
        nets.Eval();
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var image = zeros(1, 3, options.Height, options.Width);
        var pair = zeros(1, 6, options.Height, options.Width);

        Tensor[] features = [];
        var encoderMacs = Count(nets.Encoder, () => features = nets.Encoder.call(image));
        var depthMacs = Count(nets.Depth, () => nets.Depth.call(features));
        Tensor last = image;
        var poseEncoderMacs = Count(nets.PoseEncoder.Module, () => last = nets.PoseEncoder.ForwardLastLevel(pair));
        var poseMacs = Count(nets.Pose, () => nets.Pose.call(last));

        long Params(Module m) => m.parameters().Sum(p => p.numel());
        return
        [
            new(MldaNetworks.EncoderName, Params(nets.Encoder), encoderMacs, "image → 5 features"),
            new(MldaNetworks.DepthName, Params(nets.Depth), depthMacs, "5 features → 4 disparities"),
            new(MldaNetworks.PoseEncoderName, Params(nets.PoseEncoder.Module), poseEncoderMacs,
                options.PoseEncoder == PoseEncoderKind.Mlda ? "image pair → feature4 only (dead branches skipped)" : "image pair → feature4 (light ResNet-18)"),
            new(MldaNetworks.PoseName, Params(nets.Pose), poseMacs, "feature4 → axis-angle, translation"),
        ];
    }

    /// <summary>MACs of the convolutions and GA products that run inside <paramref name="module"/> during <paramref name="run"/>.</summary>
    public static long Count(Module module, Action run)
    {
        long macs = 0;
        var removers = new List<Action>();
        foreach (var (_, m) in module.named_modules())
        {
            switch (m)
            {
                case Conv2d conv:
                    var hc = conv.register_forward_hook((c, input, output) =>
                    {
                        var w = ((Conv2d)c).weight!;
                        macs += output.numel() * w.shape[1] * w.shape[2] * w.shape[3];
                        return output;
                    });
                    removers.Add(hc.remove);
                    break;
                case GlobalAttention ga:
                    var hg = ga.register_forward_hook((g, input, output) =>
                    {
                        // S = Q·Vᵀ and O = Aᵀ·K: two products of C×N by N×C (resp. C×C by C×N) per image.
                        var c = input.shape[1];
                        macs += 2 * input.shape[0] * c * c * input.shape[2] * input.shape[3];
                        return output;
                    });
                    removers.Add(hg.remove);
                    break;
            }
        }
        if (module is Conv2d || module is GlobalAttention) throw new ArgumentException("count a network, not a single layer");
        try
        {
            run();
        }
        finally
        {
            foreach (var remove in removers) remove();
        }
        return macs;
    }
}

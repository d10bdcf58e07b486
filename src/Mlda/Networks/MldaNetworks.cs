using Mlda.Interop;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using TorchSharp.Modules;

namespace Mlda.Networks;

/// <summary>
/// The four networks of MLDA-Net, named as the reference's weight files: <c>encoder</c>, <c>depth</c>,
/// <c>pose_encoder</c>, <c>pose</c>. A depth-only set (for inference) has no pose networks.
/// </summary>
public sealed class MldaNetworks : IDisposable
{
    public const string EncoderName = "encoder";
    public const string DepthName = "depth";
    public const string PoseEncoderName = "pose_encoder";
    public const string PoseName = "pose";

    readonly IPoseEncoder? poseEncoder;
    readonly PoseDecoder? pose;

    public ModelOptions Options { get; }
    public MldaEncoder Encoder { get; }
    public DepthDecoder Depth { get; }

    public IPoseEncoder PoseEncoder => poseEncoder ?? throw new InvalidOperationException("these networks were loaded for depth only: no pose encoder");
    public PoseDecoder Pose => pose ?? throw new InvalidOperationException("these networks were loaded for depth only: no pose decoder");
    public bool HasPose => poseEncoder is not null;

    public Device Device { get; private set; } = CPU;

    MldaNetworks(ModelOptions options, bool withPose)
    {
        options.Validate();
        Options = options;
        Encoder = new MldaEncoder(EncoderName, 1, options.Height, options.Width);
        Depth = new DepthDecoder(DepthName, options.EffectiveScales);
        if (withPose)
        {
            poseEncoder = options.PoseEncoder switch
            {
                PoseEncoderKind.Mlda => new MldaEncoder(PoseEncoderName, 2, options.Height, options.Width),
                PoseEncoderKind.Light => new LightPoseEncoder(PoseEncoderName, 2),
                _ => throw new ArgumentOutOfRangeException(nameof(options), options.PoseEncoder, "unknown pose encoder"),
            };
            pose = new PoseDecoder(PoseName);
        }
    }

    /// <summary>
    /// New networks, initialised as the reference from <paramref name="seed"/>; with <paramref name="imageNetPretrained"/>
    /// both ResNet-18 backbones then take the ImageNet weights (<see cref="ImageNetResNet18"/>).
    /// </summary>
    public static MldaNetworks Create(ModelOptions options, bool imageNetPretrained, long seed) =>
        Create(options, imageNetPretrained, seed, withPose: true);

    /// <summary>As <see cref="Create(ModelOptions, bool, long)"/>; <paramref name="withPose"/> false builds encoder and depth only.</summary>
    public static MldaNetworks Create(ModelOptions options, bool imageNetPretrained, long seed, bool withPose)
    {
        using var noGc = new NoGcRegion(); // TorchSharp temporaries must outlive their native calls
        var nets = new MldaNetworks(options, withPose);
        try
        {
            using var generator = new Generator(unchecked((ulong)seed));
            foreach (var (_, module) in nets.Named()) WeightInitialisation.Apply(module, generator);
            if (imageNetPretrained)
            {
                using var imageNet = ImageNetResNet18.Load();
                imageNet.InitialiseBackbone(nets.Encoder.encoder, 1);
                switch (nets.poseEncoder)
                {
                    case MldaEncoder e: imageNet.InitialiseBackbone(e.encoder, 2); break;
                    case LightPoseEncoder l: imageNet.InitialiseBackbone(l.encoder, 2); break;
                }
            }
            return nets;
        }
        catch
        {
            nets.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The architecture only, with TorchSharp's default weights: for loading a checkpoint, which overwrites every
    /// tensor (skips the seeded initialisation, a second or more for 77 M parameters).
    /// </summary>
    internal static MldaNetworks CreateForLoading(ModelOptions options, bool withPose) => new(options, withPose);

    /// <summary>The networks present, with their weight-file stems, in the reference's order.</summary>
    public IEnumerable<(string Name, Module Module)> Named()
    {
        yield return (EncoderName, Encoder);
        yield return (DepthName, Depth);
        if (poseEncoder is not null) yield return (PoseEncoderName, poseEncoder.Module);
        if (pose is not null) yield return (PoseName, pose);
    }

    /// <summary>
    /// Every parameter of every network, as the reference hands them to Adam. (The pose encoder's dead branches are
    /// included, as in the reference; they simply never receive a gradient.)
    /// </summary>
    public IEnumerable<Parameter> TrainableParameters() => Named().SelectMany(n => n.Module.parameters());

    public void Train()
    {
        foreach (var (_, m) in Named()) m.train();
    }

    public void Eval()
    {
        foreach (var (_, m) in Named()) m.eval();
    }

    public MldaNetworks To(Device device)
    {
        foreach (var (_, m) in Named()) m.to(device);
        Device = device;
        return this;
    }

    public void Dispose()
    {
        foreach (var (_, m) in Named()) m.Dispose();
    }
}

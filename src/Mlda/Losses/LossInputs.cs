using static TorchSharp.torch;

namespace Mlda.Losses;

/// <summary>
/// What the loss reads from one batch's forward pass. Every image is at the network's full resolution except
/// <see cref="TargetAtScale"/> and <see cref="Disparities"/>, which are at scale s.
/// </summary>
/// <param name="Target">the un-augmented target frame ("color", 0, 0), [B, 3, H, W]</param>
/// <param name="Sources">the un-augmented source frames ("color", f, 0) in frame order, for the identity loss</param>
/// <param name="Warped">per scale s, the sources warped into the target with the scale-s depth ("color", f, s)</param>
/// <param name="Disparities">the sigmoid disparity at scale s, at its own resolution</param>
/// <param name="Depths">the scale-s depth upsampled to full resolution ("depth", 0, s)</param>
/// <param name="TargetAtScale">("color", 0, s), for the edge-aware smoothness</param>
/// <param name="HintWarped">the stereo frame warped with the depth hint ("color_depth_hint", 's', 0), or null</param>
/// <param name="Hint">the depth hint, [B, 1, H, W], 0 where invalid, or null</param>
public sealed record LossInputs(
    Tensor Target,
    IReadOnlyList<Tensor> Sources,
    IReadOnlyList<IReadOnlyList<Tensor>> Warped,
    IReadOnlyList<Tensor> Disparities,
    IReadOnlyList<Tensor> Depths,
    IReadOnlyList<Tensor> TargetAtScale,
    Tensor? HintWarped = null,
    Tensor? Hint = null);

using static TorchSharp.torch;

namespace Mlda.Losses;

/// <summary>
/// The total loss to back-propagate plus detached per-scale parts for logging.
/// <see cref="Photometric"/> is the mean, unmasked minimum reprojection error at scale 0: the quantity that shows
/// whether the network explains the views, whatever the masks do.
/// </summary>
public sealed record LossTerms(
    Tensor Total,
    Tensor Photometric,
    IReadOnlyList<Tensor> Reprojection,
    IReadOnlyList<Tensor> HintProxy,
    IReadOnlyList<Tensor> Smoothness,
    IReadOnlyList<Tensor> HintFraction);

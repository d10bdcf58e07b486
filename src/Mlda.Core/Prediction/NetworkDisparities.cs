using Mlda.Core.Imaging;

namespace Mlda.Core.Prediction;

/// <summary>
/// The network's scale-0 sigmoid disparities at the network size, one map per image; with flip post-processing
/// also <see cref="Mirrored"/>, those predicted for the mirror images in the same batch, still mirrored (the
/// <c>pred_disp[N:]</c> half of evaluate_depth.py's batch).
/// </summary>
public sealed record NetworkDisparities(IReadOnlyList<FloatMap> Sigmoid, IReadOnlyList<FloatMap>? Mirrored);

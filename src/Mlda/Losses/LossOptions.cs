namespace Mlda.Losses;

/// <summary>
/// Options of the self-supervised loss.
/// <para><paramref name="Smoothness"/>: λ of the edge-aware smoothness (reference <c>train.py</c> default 0).</para>
/// <para><paramref name="IdentityNoise"/>: standard deviation of the random tie-break noise added to the identity
/// (auto-mask) loss. The MLDA reference adds none (0, our default: <c>losses/loss.py</c> <c>compute_losses</c>); depth-hints and
/// monodepth2 add 1e-5.</para>
/// </summary>
public sealed record LossOptions(double Smoothness = 0.0, double IdentityNoise = 0.0);

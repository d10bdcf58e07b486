namespace Mlda.Core.Prediction;

/// <summary>
/// The supervision a model was trained with, spelled as the reference's <c>--mode</c> option everywhere (training
/// options, a checkpoint's <c>options.json</c>, an export's <c>model.json</c>): <c>M</c> (monocular video),
/// <c>S</c> (stereo pairs) or <c>MS</c> (both). A model that saw stereo learned the 0.1 training baseline, so ×5.4
/// gives metres (monodepth2 <c>STEREO_SCALE_FACTOR</c>); a mono model's depth has no scale.
/// </summary>
public static class TrainingMode
{
    public const string Mono = "M";
    public const string Stereo = "S";
    public const string MonoStereo = "MS";

    public static readonly string[] All = [Mono, Stereo, MonoStereo];

    public static bool IsValid(string? mode) => mode is Mono or Stereo or MonoStereo;

    /// <summary>×5.4 for a mode with stereo, none (relative depth) for mono.</summary>
    public static double? MetricScale(string mode) => mode switch
    {
        Mono => null,
        Stereo or MonoStereo => DepthScaling.StereoScaleFactor,
        _ => throw new ArgumentException($"training mode '{mode}' is not one of {string.Join(", ", All)}", nameof(mode)),
    };

    /// <summary>
    /// The mode of <paramref name="text"/>: M, S or MS in any case, or the spellings model.json used before
    /// (<c>mono</c>, <c>stereo</c>, <c>mono+stereo</c>); null for anything else.
    /// </summary>
    public static string? Parse(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        "m" or "mono" => Mono,
        "s" or "stereo" => Stereo,
        "ms" or "mono+stereo" => MonoStereo,
        _ => null,
    };
}

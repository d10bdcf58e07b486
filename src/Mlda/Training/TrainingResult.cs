namespace Mlda.Training;

/// <summary>
/// How a run ended: the state it stopped in, whether it was interrupted, its last validation, and the photometric
/// error (mean minimum reprojection at scale 0) of every step this process trained.
/// </summary>
public sealed record TrainingResult(
    TrainingState State,
    bool Interrupted,
    ValidationResult? LastValidation,
    int TrainItems,
    IReadOnlyList<SkippedItems> Skipped,
    IReadOnlyList<double> Photometric)
{
    public int SkippedAtBorders => SkippedItems.CountOf(Skipped, SkippedItems.SequenceBorders);
}

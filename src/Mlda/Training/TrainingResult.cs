namespace Mlda.Training;

/// <summary>How a run ended: the state it stopped in, whether it was interrupted, and its last validation.</summary>
public sealed record TrainingResult(
    TrainingState State,
    bool Interrupted,
    ValidationResult? LastValidation,
    int TrainItems,
    int SkippedAtBorders,
    double FirstPhotometric,
    double LastPhotometric);

using System.Text.Json;
using Mlda.Core;

namespace Mlda.Training;

/// <summary>
/// Where a run stands, saved with every resumable checkpoint (<c>models/last/training_state.json</c>) so that
/// <c>--resume</c> continues exactly: the next batch of the same epoch order, the same schedule, the same best.
/// </summary>
public sealed record TrainingState
{
    public int Epoch { get; init; }
    /// <summary>Batches of <see cref="Epoch"/> already trained on.</summary>
    public int BatchInEpoch { get; init; }
    public long GlobalStep { get; init; }
    public double BestMetric { get; init; } = double.PositiveInfinity;
    public string BestMetricName { get; init; } = "";
    public int BestEpoch { get; init; } = -1;
    /// <summary>Extra factor on the scheduled learning rate, lowered by the non-finite-loss guard.</summary>
    public double LearningRateFactor { get; init; } = 1.0;
    public long NonFiniteSkipped { get; init; }
    public double TrainSeconds { get; init; }
    public bool Finished { get; init; }

    public const string FileName = "training_state.json";

    public static TrainingState Read(string path)
    {
        if (!File.Exists(path)) throw new InputException(path, "training state not found: nothing to resume");
        try
        {
            return JsonSerializer.Deserialize<TrainingState>(File.ReadAllText(path), TrainOptions.Json)
                   ?? throw new InputException(path, "empty training state");
        }
        catch (JsonException e)
        {
            throw new InputException(path, e.Message, e.LineNumber is { } l ? (int)l + 1 : null, e);
        }
    }

    public string ToJson() => JsonSerializer.Serialize(this, TrainOptions.Json);
}

namespace Mlda.Training;

/// <summary>
/// What the trainer, the batch loader, validation and the training benchmark need of a dataset (monodepth2's
/// <c>MonoDataset</c> interface): items that each hold a target frame, its source frames in
/// <see cref="SourceFrames"/> order (−1, +1, and the stereo view 's' where the dataset has one), the intrinsics of
/// the item, and optionally a depth hint and ground truth. Items must be reproducible: the same index and the same
/// random generator give the same sample. <see cref="MonoDataset"/> implements the preprocessing they share.
/// </summary>
public interface ITrainingDataset
{
    DatasetOptions Options { get; }

    /// <summary>The source frames of every item, in the order of <see cref="TrainingSample.Sources"/>.</summary>
    IReadOnlyList<SourceFrame> SourceFrames { get; }

    int Count { get; }

    /// <summary>Split lines that were left out, by reason (empty lists are omitted).</summary>
    IReadOnlyList<SkippedItems> Skipped { get; }

    /// <summary>The item at <paramref name="index"/>; augmentation (training only) draws from <paramref name="rng"/>.</summary>
    TrainingSample Get(int index, Random rng);

    /// <summary>Which ground-truth pixels validation's Eigen metrics count: KITTI's crop by default.</summary>
    Mlda.Core.Evaluation.EvaluationMask GroundTruthMask => Mlda.Core.Evaluation.EvaluationMask.Eigen;
}

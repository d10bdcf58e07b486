using Mlda.Core;
using Mlda.Core.Imaging;
using Mlda.Core.Kitti;
using Mlda.Core.Scenes;

namespace Mlda.Training;

/// <summary>
/// The training and validation sets of a run: where a new kind of dataset is recognised. Today the KITTI raw layout
/// with monodepth2 split files (<c>&lt;split&gt;/train_files.txt</c>, optional <c>val_files.txt</c>), and scene
/// folders (<c>ROOT/train.txt</c>, optional <c>val.txt</c>; <see cref="Mlda.Scenes.SceneDataset"/>).
/// </summary>
/// <param name="Train">the training items (augmented)</param>
/// <param name="Validation">the validation items (no augmentation, ground truth where it exists), or null</param>
/// <param name="TrainSource">the file the training items come from, for messages</param>
public sealed record TrainingData(ITrainingDataset Train, ITrainingDataset? Validation, string TrainSource)
{
    public static TrainingData Open(TrainOptions options, bool withValidation = true)
    {
        if (options.IsScenes) return OpenScenes(options, withValidation);
        var trainFile = Path.Combine(options.SplitDir, "train_files.txt");
        if (!File.Exists(trainFile)) throw new InputException(trainFile, "training split not found (the split folder needs train_files.txt)");
        var train = new KittiRawDataset(options.DataPath, SplitFile.Read(trainFile), options.ToDatasetOptions(groundTruth: false), isTrain: true);
        ITrainingDataset? val = null;
        var valFile = Path.Combine(options.SplitDir, "val_files.txt");
        if (withValidation && File.Exists(valFile))
        {
            var entries = SplitFile.Read(valFile);
            if (options.MaxValidationItems > 0) entries = entries.Take(options.MaxValidationItems).ToList();
            var set = new KittiRawDataset(options.DataPath, entries, options.ToDatasetOptions(groundTruth: true), isTrain: false);
            val = set.Count > 0 ? set : null;
        }
        return new TrainingData(train, val, trainFile);
    }

    /// <summary>A scene folder: ROOT/train.txt, and ROOT/val.txt for validation when it exists.</summary>
    static TrainingData OpenScenes(TrainOptions options, bool withValidation)
    {
        var fallback = options.Intrinsics is { } text ? IntrinsicsArgument.Parse(text) : null;
        var root = options.DataPath;
        if (!Directory.Exists(root)) throw new InputException(root, "data folder not found");
        var train = new Mlda.Scenes.SceneDataset(SceneItems.Open(root, SceneLayout.TrainSplit, fallback), options.ToDatasetOptions(groundTruth: false), isTrain: true);
        Mlda.Scenes.SceneDataset? val = null;
        if (withValidation && File.Exists(SceneLayout.SplitPath(root, SceneLayout.ValSplit)))
        {
            // Validation keeps every target, standing or not, as the evaluation does.
            var items = SceneItems.Open(root, SceneLayout.ValSplit, fallback, skipStatic: false);
            val = new Mlda.Scenes.SceneDataset(items, options.ToDatasetOptions(groundTruth: true), isTrain: false, options.MaxValidationItems);
            if (val.Count == 0) val = null;
        }
        return new TrainingData(train, val, SceneLayout.SplitPath(root, SceneLayout.TrainSplit));
    }
}

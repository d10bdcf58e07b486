using Mlda.Core;
using Mlda.Core.Kitti;
using Mlda.Training;

namespace Mlda.Tests.Kitti;

public class ShippedSplitsTests
{
    [Fact]
    public void The_standard_splits_ship_with_their_line_counts()
    {
        static int Lines(string name, params string[] roles) => SplitFile.Read(ShippedSplits.File(name, roles)).Count;
        Assert.Equal(697, Lines("eigen", "test"));
        Assert.Equal(39_810, Lines("eigen_zhou", "train"));
        Assert.Equal(4_424, Lines("eigen_zhou", "val"));
        Assert.Equal(45_200, Lines("eigen_full", "train"));
        Assert.Equal(652, Lines("eigen_benchmark", "test"));
        Assert.Equal(697, Lines("eigen", "val", "test")); // the first role the split has
        var e = Assert.Throws<InputException>(() => ShippedSplits.Folder("nope"));
        Assert.Contains("eigen_zhou", e.Message);
        Assert.Throws<InputException>(() => ShippedSplits.Folder("../splits"));
    }

    /// <summary>
    /// The reference's figures: with only the frames of the two 2011_10_03 training drives on disk (empty files
    /// stand in for the images; nothing is read), its existence filter leaves 11,220 training and 438 validation
    /// items of eigen_full.
    /// </summary>
    [Fact]
    public void Eigen_full_on_the_2011_10_03_drives_keeps_11220_training_and_438_validation_items()
    {
        using var dir = new TempDir();
        foreach (var (drive, frames) in new[] { ("2011_10_03_drive_0034_sync", 4663), ("2011_10_03_drive_0042_sync", 1170) })
            foreach (var cam in new[] { "image_02", "image_03" })
            {
                var images = Path.Combine(dir.Path, "2011_10_03", drive, cam, "data");
                Directory.CreateDirectory(images);
                for (int f = 0; f < frames; f++) File.Create(Path.Combine(images, $"{f:D10}.png")).Dispose();
            }
        var split = ShippedSplits.Folder("eigen_full");
        var options = new TrainOptions();
        var train = new KittiRawDataset(dir.Path, SplitFile.Read(Path.Combine(split, "train_files.txt")), options.ToDatasetOptions(false), isTrain: true);
        var val = new KittiRawDataset(dir.Path, SplitFile.Read(Path.Combine(split, "val_files.txt")), options.ToDatasetOptions(true), isTrain: false);
        Assert.Equal(11_220, train.Count);
        Assert.Equal(438, val.Count);
    }
}

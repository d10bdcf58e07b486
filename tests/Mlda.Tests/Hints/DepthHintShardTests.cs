using Mlda.Core;
using Mlda.Core.Hints;
using Mlda.Core.Kitti;
using Mlda.Tests.Evaluation;

namespace Mlda.Tests.Hints;

public class DepthHintShardTests
{
    [Fact]
    public void Shards_are_disjoint_cover_the_list_and_do_not_depend_on_its_order()
    {
        var items = DepthHintItem.FromSplits(ShippedSplits.Files("eigen_zhou").Select(SplitFile.Read));
        var parts = Enumerable.Range(0, 4).Select(i => new DepthHintShard(i, 4).Select(items)).ToArray();
        Assert.Equal(items.Count, parts.Sum(p => p.Count));
        Assert.Equal(items.Count, parts.SelectMany(p => p).Distinct().Count());
        Assert.All(parts, p => Assert.InRange(p.Count, items.Count / 4 * 0.95, items.Count / 4 * 1.05));
        var reversed = new DepthHintShard(2, 4).Select(items.Reverse().ToList());
        Assert.Equal(parts[2].ToHashSet(), reversed.ToHashSet());
        Assert.Equal(new DepthHintShard(3, 8), DepthHintShard.Parse("3/8"));
        foreach (var bad in new[] { "2/2", "1", "-1/2", "a/b", "0/0" }) Assert.Throws<InputException>(() => DepthHintShard.Parse(bad));
    }

    /// <summary>`mlda hints --shard 0/2` and `1/2` on the real sample together write exactly the files of one unsharded run.</summary>
    [Fact]
    public void Two_shards_of_the_real_sample_equal_one_unsharded_run_file_for_file()
    {
        using var dir = new TempDir();
        var split = dir["split.txt"];
        File.WriteAllLines(split, Enumerable.Range(0, 3).SelectMany(f => new[] { $"{SharedData.Date}/{SharedData.Drive} {f} l", $"{SharedData.Date}/{SharedData.Drive} {f} r" }));
        string[] Run(string outName, params string[] extra)
        {
            var o = MldaProcess.Run(["hints", "--data", SharedData.KittiRawSample, "--split-file", split, "--out", dir[outName], "--width", "256", "--height", "96", .. extra]);
            Assert.True(o.ExitCode == 0, o.Stderr);
            return Directory.GetFiles(dir[outName], "*.npy", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(dir[outName], f)).Order().ToArray();
        }
        var whole = Run("whole");
        var first = Run("sharded", "--shard", "0/2");
        var both = Run("sharded", "--shard", "1/2");
        Assert.Equal(6, whole.Length);
        Assert.InRange(first.Length, 1, 5); // each part has some of the six
        Assert.Equal(whole, both);
        foreach (var f in whole) Assert.Equal(File.ReadAllBytes(Path.Combine(dir["whole"], f)), File.ReadAllBytes(Path.Combine(dir["sharded"], f)));
    }
}

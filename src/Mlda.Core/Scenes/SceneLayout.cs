using Mlda.Core.Imaging;

namespace Mlda.Core.Scenes;

/// <summary>
/// A scene-folder root: <c>train.txt</c>, <c>val.txt</c>, <c>test.txt</c> (scene names, one per line; blank lines and
/// <c>#</c> comments ignored) beside one folder per scene (<see cref="SceneFolder"/>).
/// </summary>
public static class SceneLayout
{
    public const string TrainSplit = "train", ValSplit = "val", TestSplit = "test";

    /// <summary>Whether <paramref name="root"/> is a scene folder (it has <c>train.txt</c> or <c>test.txt</c>).</summary>
    public static bool IsSceneRoot(string root) =>
        File.Exists(SplitPath(root, TrainSplit)) || File.Exists(SplitPath(root, TestSplit));

    public static string SplitPath(string root, string split) => Path.Combine(root, split + ".txt");

    /// <summary>The scene names of <c>ROOT/&lt;split&gt;.txt</c> with the line each came from.</summary>
    public static IReadOnlyList<(string Name, int Line)> ReadSplit(string root, string split)
    {
        var path = SplitPath(root, split);
        if (!File.Exists(path)) throw new InputException(path, $"split '{split}' not found (a scene folder lists its scenes in {split}.txt)");
        var names = new List<(string, int)>();
        var lines = File.ReadAllLines(path);
        for (int i = 0; i < lines.Length; i++)
        {
            var name = lines[i].Trim();
            if (name.Length == 0 || name.StartsWith('#')) continue;
            if (name.Contains("..") || Path.IsPathRooted(name))
                throw new InputException(path, $"'{name}' is not a scene folder name under {root}", i + 1);
            if (!Directory.Exists(Path.Combine(root, name)))
                throw new InputException(path, $"scene '{name}' not found (no folder {Path.Combine(root, name)})", i + 1);
            names.Add((name, i + 1));
        }
        if (names.Count == 0) throw new InputException(path, "lists no scenes");
        return names;
    }

    /// <summary>Opens every scene of a split (see <see cref="SceneFolder.Open"/> for the checks).</summary>
    public static IReadOnlyList<SceneFolder> OpenSplit(string root, string split, CameraIntrinsics? fallback = null) =>
        ReadSplit(root, split).Select(n => SceneFolder.Open(Path.Combine(root, n.Name), fallback)).ToList();
}

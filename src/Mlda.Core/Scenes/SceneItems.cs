using Mlda.Core.Imaging;

namespace Mlda.Core.Scenes;

/// <summary>One training item of a scene folder: a target frame of a scene, its neighbours being frame ± 1.</summary>
public readonly record struct SceneItem(int Scene, int Frame);

/// <summary>
/// The items of a scene-folder split: every frame with both neighbours (monodepth2's <c>frame_ids [0, -1, 1]</c>),
/// except those at which the camera stands still (<see cref="StaticFrames"/>), which are counted in
/// <see cref="StaticSkipped"/>.
/// </summary>
public sealed class SceneItems
{
    public IReadOnlyList<SceneFolder> Scenes { get; }
    public IReadOnlyList<SceneItem> Items { get; }

    /// <summary>The targets left out because the camera stands still there.</summary>
    public IReadOnlyList<SceneItem> StaticTargets { get; }
    public int StaticSkipped => StaticTargets.Count;

    /// <summary>Warnings of every scene (principal points far from the centre).</summary>
    public IReadOnlyList<string> Warnings => Scenes.SelectMany(s => s.Warnings).ToList();

    SceneItems(IReadOnlyList<SceneFolder> scenes, IReadOnlyList<SceneItem> items, IReadOnlyList<SceneItem> still)
    {
        Scenes = scenes; Items = items; StaticTargets = still;
    }

    /// <param name="skipStatic">false keeps static targets (validation and evaluation keep every frame)</param>
    public static SceneItems Open(string root, string split, CameraIntrinsics? fallback = null, bool skipStatic = true)
    {
        var scenes = SceneLayout.OpenSplit(root, split, fallback);
        var items = new List<SceneItem>();
        var still = new List<SceneItem>();
        for (int s = 0; s < scenes.Count; s++)
        {
            var isStatic = skipStatic ? StaticFrames.Detect(scenes[s]) : new bool[scenes[s].Frames.Count];
            for (int f = 1; f + 1 < scenes[s].Frames.Count; f++)
                (isStatic[f] ? still : items).Add(new SceneItem(s, f));
        }
        return new SceneItems(scenes, items, still);
    }
}

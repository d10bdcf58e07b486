using Mlda.Core.Imaging;
using Mlda.Core.IO;
using Mlda.Core.Visualization;

namespace Mlda.Core.Scenes;

/// <summary>
/// One scene of a scene folder (SfMLearner / SC-Depth layout): its frames (<c>*.jpg</c>, <c>*.jpeg</c>,
/// <c>*.png</c>, in time order by file name), the camera of <c>cam.txt</c> (or the <c>--intrinsics</c> fallback)
/// and the optional ground truth <c>depth/&lt;stem&gt;.npy</c> (float32 metres, 0 = none) or
/// <c>depth/&lt;stem&gt;.png</c> (uint16, depth × 256). Everything is checked on opening, from file headers, so a
/// bad scene fails before any work: fewer than 3 frames, frames of mixed sizes, a depth map of another size.
/// </summary>
public sealed class SceneFolder
{
    public const string DepthFolder = "depth";
    public static readonly string[] FrameExtensions = [".jpg", ".jpeg", ".png"];

    public string Name { get; }
    public string Path { get; }
    public IReadOnlyList<string> Frames { get; }
    public int Width { get; }
    public int Height { get; }

    /// <summary>Pinhole intrinsics in pixels of this scene's images.</summary>
    public CameraIntrinsics Intrinsics { get; }

    /// <summary>Per frame, its ground-truth file, or null.</summary>
    public IReadOnlyList<string?> DepthFiles { get; }
    public bool HasGroundTruth => DepthFiles.Any(d => d is not null);
    public IReadOnlyList<string> Warnings { get; }

    SceneFolder(string name, string path, IReadOnlyList<string> frames, int width, int height, CameraIntrinsics k,
                IReadOnlyList<string?> depth, IReadOnlyList<string> warnings)
    {
        Name = name; Path = path; Frames = frames; Width = width; Height = height; Intrinsics = k; DepthFiles = depth; Warnings = warnings;
    }

    /// <summary>The frame's file name without extension (the key of its ground truth and of prediction outputs).</summary>
    public string Stem(int frame) => System.IO.Path.GetFileNameWithoutExtension(Frames[frame]);

    /// <summary>The frames of a folder, in file-name order.</summary>
    public static IReadOnlyList<string> ListFrames(string path) =>
        Directory.EnumerateFiles(path).Where(f => FrameExtensions.Contains(System.IO.Path.GetExtension(f).ToLowerInvariant()))
            .Order(StringComparer.Ordinal).ToList();

    /// <param name="path">the scene's folder</param>
    /// <param name="fallback">intrinsics in pixels for a scene without <c>cam.txt</c> (<c>--intrinsics</c>)</param>
    /// <exception cref="InputException">the file at fault and what is wrong with it</exception>
    public static SceneFolder Open(string path, CameraIntrinsics? fallback = null)
    {
        var name = System.IO.Path.GetFileName(System.IO.Path.TrimEndingDirectorySeparator(path));
        if (!Directory.Exists(path)) throw new InputException(path, "scene folder not found");
        var frames = ListFrames(path);
        if (frames.Count < 3)
            throw new InputException(path, $"a scene needs at least 3 frames (a target and both neighbours), found {frames.Count} ({string.Join(", ", FrameExtensions)})");
        var (w, h) = ImageHeader.ReadSize(frames[0]);
        foreach (var f in frames.Skip(1))
        {
            var (fw, fh) = ImageHeader.ReadSize(f);
            if (fw != w || fh != h)
                throw new InputException(f, $"frame is {fw}x{fh}, but the scene's first frame {System.IO.Path.GetFileName(frames[0])} is {w}x{h}: a scene's frames share one size");
        }
        var camPath = System.IO.Path.Combine(path, CameraFile.Name);
        CameraIntrinsics k;
        string camSource;
        if (File.Exists(camPath) || fallback is null)
        {
            k = CameraFile.Read(camPath);
            camSource = camPath;
        }
        else
        {
            k = fallback;
            camSource = $"--intrinsics (scene {name})";
        }
        var warnings = CameraFile.Check(k, w, h, camSource);
        var depthDir = System.IO.Path.Combine(path, DepthFolder);
        var depth = new string?[frames.Count];
        if (Directory.Exists(depthDir))
        {
            for (int i = 0; i < frames.Count; i++)
            {
                var stem = System.IO.Path.Combine(depthDir, System.IO.Path.GetFileNameWithoutExtension(frames[i]));
                var file = File.Exists(stem + ".npy") ? stem + ".npy" : File.Exists(stem + ".png") ? stem + ".png" : null;
                if (file is null) continue;
                var (dw, dh) = DepthSize(file);
                if (dw != w || dh != h)
                    throw new InputException(file, $"depth map is {dw}x{dh}, but its frame {System.IO.Path.GetFileName(frames[i])} is {w}x{h}");
                depth[i] = file;
            }
        }
        return new SceneFolder(name, path, frames, w, h, k, depth, warnings);
    }

    static (int Width, int Height) DepthSize(string file)
    {
        if (file.EndsWith(".png", StringComparison.Ordinal)) return ImageHeader.ReadSize(file);
        var shape = Npy.ReadShape(file);
        var s = shape.Length == 3 && shape[0] == 1 ? shape[1..] : shape;
        if (s.Length != 2) throw new InputException(file, $"expected a float32 (H, W) depth map, got shape ({string.Join(", ", shape)})");
        return (s[1], s[0]);
    }

    /// <summary>The frame's ground truth in metres (0 = none), or null where the scene has none for it.</summary>
    public FloatMap? ReadDepth(int frame)
    {
        var file = DepthFiles[frame];
        if (file is null) return null;
        var map = file.EndsWith(".png", StringComparison.Ordinal) ? DepthPng.Read(file) : Npy.ReadFloatMap(file);
        if (map.Width != Width || map.Height != Height)
            throw new InputException(file, $"depth map is {map.Width}x{map.Height}, but its frame is {Width}x{Height}");
        for (int i = 0; i < map.Values.Length; i++)
            if (!float.IsFinite(map.Values[i]) || map.Values[i] < 0) map.Values[i] = 0; // no ground truth there
        return map;
    }
}

using TorchSharp;

namespace Mlda.Export;

/// <summary>
/// Finds submodules by their state-dict path ("encoder.layer1.0.conv1", "decoder.6.conv.conv"), so the exporter
/// reads the networks through the same names as the checkpoints, not through private fields.
/// </summary>
public static class ModuleTree
{
    public static torch.nn.Module Find(torch.nn.Module root, string path)
    {
        var current = root;
        foreach (var part in path.Split('.'))
        {
            torch.nn.Module? next = null;
            foreach (var (name, child) in current.named_children())
                if (name == part) { next = child; break; }
            current = next ?? throw new InvalidOperationException($"{root.GetName()} has no submodule '{path}' (missing '{part}')");
        }
        return current;
    }

    public static T Find<T>(torch.nn.Module root, string path) where T : torch.nn.Module =>
        Find(root, path) as T ?? throw new InvalidOperationException($"{root.GetName()}.{path} is a {Find(root, path).GetType().Name}, not a {typeof(T).Name}");

    public static bool Has(torch.nn.Module root, string path)
    {
        try { Find(root, path); return true; }
        catch (InvalidOperationException) { return false; }
    }
}

using System.Text.Json;
using Mlda.Core.IO;

namespace Mlda.Demo;

/// <summary>One finished step of the demo: how long it took and what it produced, kept on disk so a re-run skips it.</summary>
public sealed record DemoStep(string Name, double Seconds, bool Reused, IReadOnlyList<string> Outputs)
{
    static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static string MarkerPath(string outDir, string name) => Path.Combine(outDir, ".steps", name + ".json");

    public static DemoStep? TryRead(string outDir, string name)
    {
        var path = MarkerPath(outDir, name);
        if (!File.Exists(path)) return null;
        try { return JsonSerializer.Deserialize<DemoStep>(File.ReadAllText(path), Json); }
        catch (JsonException) { return null; } // a damaged marker only means the step runs again
    }

    public void Write(string outDir) => AtomicFile.WriteAllText(MarkerPath(outDir, Name), JsonSerializer.Serialize(this, Json));
}

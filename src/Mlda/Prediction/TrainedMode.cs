using System.Text.Json;

namespace Mlda.Prediction;

/// <summary>
/// Which supervision a checkpoint was trained with, read from the training run's <c>train_options.json</c>
/// ("mode": M, S or MS), found next to the weights or up to three folders above them
/// (<c>&lt;log&gt;/&lt;name&gt;/models/best_weights</c>). It decides whether ×5.4 gives metres.
/// </summary>
public static class TrainedMode
{
    public const string OptionsFile = "train_options.json";

    /// <summary>"mono", "stereo", "mono+stereo", or null when no readable training options are found.</summary>
    public static string? Detect(string weightsDir)
    {
        // A folder that records its own mode (an imported one: Checkpoint.Save with a mode) says it first.
        if (ModeIn(Path.Combine(weightsDir, Checkpoints.Checkpoint.OptionsFile)) is { } own) return own;
        var dir = new DirectoryInfo(Path.GetFullPath(weightsDir));
        for (int up = 0; up <= 3 && dir is not null; up++, dir = dir.Parent)
        {
            var file = Path.Combine(dir.FullName, OptionsFile);
            if (!File.Exists(file)) continue;
            return ModeIn(file);
        }
        return null;
    }

    static string? ModeIn(string file)
    {
        if (!File.Exists(file)) return null;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(file));
            foreach (var p in doc.RootElement.EnumerateObject())
                if (p.Name.Equals("mode", StringComparison.OrdinalIgnoreCase) && p.Value.ValueKind == JsonValueKind.String)
                    return p.Value.GetString()!.ToUpperInvariant() switch
                    {
                        "M" or "MONO" => "mono",
                        "S" or "STEREO" => "stereo",
                        "MS" or "MONO+STEREO" => "mono+stereo",
                        _ => null,
                    };
        }
        catch (JsonException) { }
        return null;
    }
}

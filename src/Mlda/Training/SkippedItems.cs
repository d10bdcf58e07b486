namespace Mlda.Training;

/// <summary>
/// Split lines a dataset left out for one <paramref name="Reason"/>, with their names. <paramref name="Warn"/> marks
/// a reason the user should hear about (a missing frame) apart from an expected one (a sequence border).
/// </summary>
public sealed record SkippedItems(string Reason, IReadOnlyList<string> Items, bool Warn)
{
    /// <summary>The reason of lines whose temporal neighbours do not exist (the reference's existence filter).</summary>
    public const string SequenceBorders = "skipped at sequence borders";

    public int Count => Items.Count;

    /// <summary>"4 skipped at sequence borders, 2 target frames missing" (empty when nothing was skipped).</summary>
    public static string Summary(IReadOnlyList<SkippedItems> skipped) =>
        string.Join(", ", skipped.Select(s => $"{s.Count} {s.Reason}"));

    /// <summary>One warning line per reason that deserves one, naming the first few lines.</summary>
    public static IEnumerable<string> Warnings(IReadOnlyList<SkippedItems> skipped, int examples = 5) =>
        skipped.Where(s => s.Warn && s.Count > 0).Select(s =>
            $"warning: {s.Count} {s.Reason}: {string.Join("; ", s.Items.Take(examples))}{(s.Count > examples ? "; ..." : "")}");

    /// <summary>How many lines were left out for <paramref name="reason"/>.</summary>
    public static int CountOf(IReadOnlyList<SkippedItems> skipped, string reason) =>
        skipped.Where(s => s.Reason == reason).Sum(s => s.Count);
}

namespace Mlda.Core;

/// <summary>One step of a long job: <paramref name="Done"/> of <paramref name="Total"/> units of <paramref name="Stage"/>.</summary>
public sealed record ProgressUpdate(string Stage, long Done, long Total, string? Detail = null);

using Mlda.Core.Synthetic;

namespace Mlda.Tests.Synthetic;

/// <summary>One small synthetic data root (3 drives x 5 frames at 256x80) shared by the synthetic-data tests.</summary>
public sealed class SyntheticDataFixture : IDisposable
{
    public static readonly SyntheticDatasetOptions Options = new(Drives: 3, Frames: 5, Seed: 7, Width: 256, Height: 80);

    readonly TempDir _dir = new();
    public string Root => _dir.Path;
    public SyntheticDatasetSummary Summary { get; }

    public SyntheticDataFixture() => Summary = SyntheticDataset.Generate(Root, Options);

    public string DateDir => Path.Combine(Root, Options.Date);

    public void Dispose() => _dir.Dispose();
}

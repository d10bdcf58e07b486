namespace Mlda.Demo;

/// <summary>
/// What <c>mlda demo</c> runs. The defaults are the CPU configuration measured to finish within 15 minutes on a
/// 2-core machine (see the README): a small synthetic set, its hints, a short training run at low resolution. The
/// training is a fixed number of steps (the configuration's epochs), never a time budget, so that the same command
/// gives the same result on a fast, slow or busy machine.
/// </summary>
public sealed record DemoOptions
{
    /// <summary>Everything goes under this folder: data, hints, the training run, predictions, the ONNX model.</summary>
    public string OutDir { get; init; } = "demo-out";

    /// <summary>Training configuration (a <c>mlda train --config</c> file); data, split and log paths are set by the demo.</summary>
    public string ConfigPath { get; init; } = "";

    /// <summary>Delete earlier results first instead of reusing finished steps.</summary>
    public bool Fresh { get; init; }

    /// <summary>The real KITTI sample to predict on, when present (not needed for the demo).</summary>
    public string? RealSample { get; init; }

    public int Drives { get; init; } = 3;
    public int Frames { get; init; } = 40;
    public int Seed { get; init; }
    public int ImageWidth { get; init; } = 1242;
    public int ImageHeight { get; init; } = 375;
}

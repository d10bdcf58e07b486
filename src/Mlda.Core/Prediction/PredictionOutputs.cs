namespace Mlda.Core.Prediction;

/// <summary>The files written per image (the video is written whenever the input is a video).</summary>
[Flags]
public enum PredictionOutputs
{
    None = 0,
    /// <summary><c>&lt;name&gt;_depth_predict.jpg</c>: the reference's figure, input above grayscale disparity.</summary>
    Figure = 1,
    /// <summary><c>&lt;name&gt;_disp.jpeg</c>: magma disparity, vmax at the 95th percentile (monodepth2 test_simple).</summary>
    Magma = 2,
    /// <summary><c>&lt;name&gt;_disp.npy</c> (1/depth in training units) and <c>&lt;name&gt;_depth.npy</c> (depth), float32 [H,W].</summary>
    Npy = 4,
    /// <summary><c>&lt;name&gt;_depth.png</c>: 16-bit depth ×256 (KITTI convention).</summary>
    Png16 = 8,
    /// <summary><c>&lt;name&gt;.ply</c>: coloured point cloud.</summary>
    Ply = 16,
    Default = Figure | Magma | Npy | Png16,
    All = Figure | Magma | Npy | Png16 | Ply,
}

public static class PredictionOutputNames
{
    static readonly (string Name, PredictionOutputs Flag)[] Names =
    [
        ("figure", PredictionOutputs.Figure), ("magma", PredictionOutputs.Magma), ("npy", PredictionOutputs.Npy),
        ("png16", PredictionOutputs.Png16), ("ply", PredictionOutputs.Ply), ("all", PredictionOutputs.All),
        ("default", PredictionOutputs.Default), ("none", PredictionOutputs.None),
    ];

    public static string Choices => string.Join(",", Names.Select(n => n.Name));

    /// <summary>Parses "figure,magma,npy" and the like; <see cref="InputException"/> names the unknown word.</summary>
    public static PredictionOutputs Parse(string text)
    {
        var result = PredictionOutputs.None;
        foreach (var word in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var hit = Names.FirstOrDefault(n => n.Name.Equals(word, StringComparison.OrdinalIgnoreCase));
            if (hit.Name is null) throw new InputException(null, $"unknown output '{word}' (choices: {Choices})");
            result |= hit.Flag;
        }
        return result;
    }
}

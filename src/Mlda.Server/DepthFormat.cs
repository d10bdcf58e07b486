using Mlda.Core;
using Mlda.Core.Evaluation;
using Mlda.Core.Prediction;
using OpenCvSharp;

namespace Mlda.Server;

/// <summary>What <c>POST /v1/depth?format=</c> answers with; each is the bytes of the file <c>mlda infer</c> writes.</summary>
public enum DepthFormat { Magma, Npy, DepthNpy, Png16, Json, Ply }

/// <summary>The statistics <c>format=json</c> answers with.</summary>
public sealed record DepthStatistics(int Width, int Height, int NetworkWidth, int NetworkHeight, bool Metric, string Unit,
    string TrainingMode, float MinDepth, float MedianDepth, float MaxDepth);

public static class DepthFormats
{
    static readonly (string Name, DepthFormat Format, string ContentType, string Extension)[] All =
    [
        ("magma", DepthFormat.Magma, "image/jpeg", "_disp.jpeg"),
        ("npy", DepthFormat.Npy, "application/octet-stream", "_disp.npy"),
        ("depth-npy", DepthFormat.DepthNpy, "application/octet-stream", "_depth.npy"),
        ("png16", DepthFormat.Png16, "image/png", "_depth.png"),
        ("json", DepthFormat.Json, "application/json", ".json"),
        ("ply", DepthFormat.Ply, "application/octet-stream", ".ply"),
    ];

    public static string Choices => string.Join("|", All.Select(f => f.Name));

    /// <summary>The default (no <c>format</c>) is the magma picture.</summary>
    public static DepthFormat Parse(string? name)
    {
        if (string.IsNullOrEmpty(name)) return DepthFormat.Magma;
        var hit = All.FirstOrDefault(f => f.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
        if (hit.Name is null) throw new InputException(null, $"unknown format '{name}' (choices: {Choices})");
        return hit.Format;
    }

    public static string ContentType(DepthFormat format) => All.First(f => f.Format == format).ContentType;

    /// <summary>The file name <c>mlda infer</c> gives this output of an image named <paramref name="stem"/>.</summary>
    public static string FileName(DepthFormat format, string stem) => stem + All.First(f => f.Format == format).Extension;

    public static byte[] Encode(DepthFormat format, Mat bgr, DepthPrediction p, DepthService service, int plyStride) => format switch
    {
        DepthFormat.Magma => PredictionEncoder.Magma(p),
        DepthFormat.Npy => PredictionEncoder.DisparityNpy(p),
        DepthFormat.DepthNpy => PredictionEncoder.DepthNpy(p),
        DepthFormat.Png16 => PredictionEncoder.Png16(p),
        DepthFormat.Ply => PredictionEncoder.Ply(bgr, p, stride: plyStride),
        DepthFormat.Json => System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(Statistics(p, service), ServerJson.Options),
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    public static DepthStatistics Statistics(DepthPrediction p, DepthService service)
    {
        var depth = p.Depth.Values;
        return new DepthStatistics(p.Depth.Width, p.Depth.Height, service.Model.Width, service.Model.Height,
            p.Scaling.IsMetric, Unit(p.Scaling), service.TrainingMode,
            depth.Min(), NumpyReductions.Median<float>(depth), depth.Max());
    }

    /// <summary>"m" for metric depth (stereo-trained exports), "relative" for a mono export's unscaled depth.</summary>
    public static string Unit(DepthScaling scaling) => scaling.IsMetric ? "m" : "relative";
}

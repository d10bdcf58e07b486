using Microsoft.ML.OnnxRuntime;
using Onnx;

namespace Mlda.Export;

/// <summary>How an activation's quantisation range is chosen from the calibration images.</summary>
public enum CalibrationMethod
{
    /// <summary>The smallest and largest value seen (onnxruntime.quantization's MinMax).</summary>
    MinMax,
    /// <summary>The 0.001 % and 99.999 % quantiles of all values seen (its Percentile method at 99.999).</summary>
    Percentile,
}

/// <summary>One activation's float range [Low, High] (contains 0) and its uint8 affine parameters.</summary>
public sealed record ActivationRange(string Tensor, float Low, float High)
{
    public float Scale => High > Low ? (High - Low) / 255f : 1f;

    /// <summary>The uint8 code of 0.0, so that zero (ReLU's floor, the padding) is exact.</summary>
    public byte ZeroPoint => (byte)Math.Clamp(Math.Round(-Low / Scale), 0, 255);
}

/// <summary>
/// Static calibration (onnxruntime.quantization calibrate.py, MinMax and Percentile): runs the float graph in ONNX
/// Runtime on the calibration batch with every tensor to be quantised as an extra output, one image at a time (the
/// deployment's batch 1). Percentile needs a histogram over the whole range, hence two passes: ranges, then
/// 4096-bin histograms over them. Sums over images in a fixed order: the same images give the same scales.
/// </summary>
public static class ActivationCalibration
{
    const int Bins = 4096;
    const double Tail = 1e-5;

    public static IReadOnlyDictionary<string, ActivationRange> Calibrate(ModelProto model, IReadOnlyCollection<string> tensors, string inputName,
        float[] images, int count, int height, int width, CalibrationMethod method, IProgress<Core.ProgressUpdate>? progress = null)
    {
        var probe = model.Clone();
        foreach (var t in tensors)
            if (!probe.Graph.Output.Any(o => o.Name == t))
                probe.Graph.Output.Add(new ValueInfoProto { Name = t, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float } } });
        using var so = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_BASIC };
        using var session = new InferenceSession(Google.Protobuf.MessageExtensions.ToByteArray(probe), so);
        using var run = new RunOptions();
        var names = tensors.ToList();
        int plane = 3 * height * width;
        var low = names.ToDictionary(n => n, _ => 0f);
        var high = names.ToDictionary(n => n, _ => 0f);
        int passes = method == CalibrationMethod.Percentile ? 2 : 1;
        var histograms = names.ToDictionary(n => n, _ => new long[Bins]);
        for (int pass = 0; pass < passes; pass++)
        for (int i = 0; i < count; i++)
        {
            progress?.Report(new Core.ProgressUpdate("calibrate", pass * count + i, passes * count));
            var image = images.AsSpan(i * plane, plane).ToArray();
            using var input = OrtValue.CreateTensorValueFromMemory(image, [1, 3, height, width]);
            using var outputs = session.Run(run, [inputName], [input], names);
            for (int k = 0; k < names.Count; k++)
            {
                var v = outputs[k].GetTensorDataAsSpan<float>();
                var n = names[k];
                if (pass == 0)
                {
                    float lo = low[n], hi = high[n];
                    foreach (var x in v) { if (x < lo) lo = x; if (x > hi) hi = x; }
                    (low[n], high[n]) = (lo, hi);
                }
                else
                {
                    var hist = histograms[n];
                    double lo = low[n], width_ = (high[n] - lo) / Bins;
                    if (width_ <= 0) continue;
                    foreach (var x in v) hist[Math.Clamp((int)((x - lo) / width_), 0, Bins - 1)]++;
                }
            }
        }
        progress?.Report(new Core.ProgressUpdate("calibrate", passes * count, passes * count));
        return names.ToDictionary(n => n, n => method == CalibrationMethod.MinMax
            ? new ActivationRange(n, low[n], high[n])
            : FromHistogram(n, histograms[n], low[n], high[n]));
    }

    /// <summary>The tail quantiles of a histogram over [lo, hi], widened to contain 0.</summary>
    static ActivationRange FromHistogram(string name, long[] hist, float lo, float hi)
    {
        long total = hist.Sum();
        if (total == 0 || hi <= lo) return new ActivationRange(name, Math.Min(lo, 0), Math.Max(hi, 0));
        double bin = (hi - (double)lo) / Bins;
        long cut = (long)Math.Floor(Tail * total), seen = 0;
        int first = 0;
        for (; first < Bins - 1 && seen + hist[first] <= cut; first++) seen += hist[first];
        seen = 0;
        int last = Bins - 1;
        for (; last > 0 && seen + hist[last] <= cut; last--) seen += hist[last];
        float qlo = (float)(lo + first * bin), qhi = (float)(lo + (last + 1) * bin);
        return new ActivationRange(name, Math.Min(qlo, 0), Math.Max(qhi, 0));
    }
}

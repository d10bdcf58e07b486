using Mlda.Core.Imaging;
using TorchSharp;
using static TorchSharp.torch;

namespace Mlda.Training;

/// <summary>
/// A collated batch on the CPU (move it with <see cref="To"/>). Sources follow <see cref="SourceFrame.For"/>.
/// The tensors are created outside any dispose scope, on the loader's worker thread, and freed by
/// <see cref="Dispose"/>.
/// </summary>
public sealed class TrainingBatch : IDisposable
{
    public required Tensor Target { get; init; }                    // [B,3,H,W]
    public required Tensor TargetAugmented { get; init; }           // [B,3,H,W]
    public required Tensor[] TargetScales { get; init; }            // ("color",0,s), s = 1..
    public required Tensor[] Sources { get; init; }
    public required Tensor[] SourcesAugmented { get; init; }
    public required Tensor K { get; init; }                         // [B,4,4] at scale 0
    public required Tensor InvK { get; init; }                      // [B,4,4]
    public required Tensor StereoT { get; init; }                   // [B,4,4]
    public Tensor? Hint { get; init; }                              // [B,1,H,W]
    public required IReadOnlyList<FloatMap?> GroundTruth { get; init; }
    public required IReadOnlyList<FloatMap?> ValidationGroundTruth { get; init; }
    public required int[] Indices { get; init; }
    public int Size => Indices.Length;

    /// <summary>Seconds the worker spent preparing this batch (loading, resizing, augmenting, collating).</summary>
    public double PrepareSeconds { get; set; }

    public static TrainingBatch Collate(IReadOnlyList<TrainingSample> samples, int height, int width)
    {
        int b = samples.Count;
        Tensor Stack(Func<TrainingSample, float[]> pick, int channels, int h, int w)
        {
            var data = new float[b * channels * h * w];
            for (int i = 0; i < b; i++) pick(samples[i]).CopyTo(data, (long)i * channels * h * w);
            return tensor(data, [b, channels, h, w]);
        }
        Tensor Matrices(Func<TrainingSample, float[]> pick)
        {
            var data = new float[b * 16];
            for (int i = 0; i < b; i++) pick(samples[i]).CopyTo(data, i * 16);
            return tensor(data, [b, 4, 4]);
        }
        var stereo = new float[b * 16];
        for (int i = 0; i < b; i++)
        {
            for (int d = 0; d < 4; d++) stereo[i * 16 + d * 5] = 1;
            stereo[i * 16 + 3] = samples[i].StereoShift;
        }
        int numSources = samples[0].Sources.Length;
        int numScales = samples[0].TargetScales.Length;
        return new TrainingBatch
        {
            Target = Stack(s => s.Target, 3, height, width),
            TargetAugmented = Stack(s => s.TargetAugmented, 3, height, width),
            TargetScales = Enumerable.Range(0, numScales).Select(k => Stack(s => s.TargetScales[k], 3, height >> (k + 1), width >> (k + 1))).ToArray(),
            Sources = Enumerable.Range(0, numSources).Select(k => Stack(s => s.Sources[k], 3, height, width)).ToArray(),
            SourcesAugmented = Enumerable.Range(0, numSources).Select(k => Stack(s => s.SourcesAugmented[k], 3, height, width)).ToArray(),
            K = Matrices(s => s.K),
            InvK = Matrices(s => NormalisedIntrinsics.Inverse4(s.K)),
            StereoT = tensor(stereo, [b, 4, 4]),
            Hint = samples[0].Hint is null ? null : Stack(s => s.Hint!, 1, height, width),
            GroundTruth = samples.Select(s => s.GroundTruth).ToArray(),
            ValidationGroundTruth = samples.Select(s => s.ValidationGroundTruth).ToArray(),
            Indices = samples.Select(s => s.Index).ToArray(),
        };
    }

    /// <summary>The same batch on <paramref name="device"/> (the CPU batch is returned as is).</summary>
    public TrainingBatch To(Device device)
    {
        if (device.type == DeviceType.CPU) return this;
        return new TrainingBatch
        {
            Target = Target.to(device),
            TargetAugmented = TargetAugmented.to(device),
            TargetScales = TargetScales.Select(t => t.to(device)).ToArray(),
            Sources = Sources.Select(t => t.to(device)).ToArray(),
            SourcesAugmented = SourcesAugmented.Select(t => t.to(device)).ToArray(),
            K = K.to(device),
            InvK = InvK.to(device),
            StereoT = StereoT.to(device),
            Hint = Hint?.to(device),
            GroundTruth = GroundTruth,
            ValidationGroundTruth = ValidationGroundTruth,
            Indices = Indices,
            PrepareSeconds = PrepareSeconds,
        };
    }

    public void Dispose()
    {
        Target.Dispose();
        TargetAugmented.Dispose();
        foreach (var t in TargetScales) t.Dispose();
        foreach (var t in Sources) t.Dispose();
        foreach (var t in SourcesAugmented) t.Dispose();
        K.Dispose();
        InvK.Dispose();
        StereoT.Dispose();
        Hint?.Dispose();
    }
}

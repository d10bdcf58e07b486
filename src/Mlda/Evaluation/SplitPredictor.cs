using Mlda.Checkpoints;
using Mlda.Core;
using Mlda.Core.Imaging;
using Mlda.Core.Kitti;
using Mlda.Interop;
using Mlda.Layers;
using Mlda.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace Mlda.Evaluation;

/// <summary>
/// A trained model as monodepth2's <c>evaluate_depth.py</c> uses it: each image PIL-Lanczos-resized to the network
/// size, the encoder and depth decoder in eval mode, and the scale-0 output converted with <c>disp_to_depth</c> to
/// the scaled disparity (1/depth in 0.1-baseline units) that the Eigen protocol takes. With post-processing the
/// mirrored image is predicted too (returned still mirrored, as <see cref="Core.Evaluation.EigenEvaluation"/> expects).
/// </summary>
public sealed class SplitPredictor : IDisposable
{
    readonly MldaNetworks _nets;
    readonly bool _owns;
    readonly Device _device;

    public ModelOptions Options => _nets.Options;

    public SplitPredictor(MldaNetworks nets, bool ownsNetworks = false)
    {
        _nets = nets;
        _owns = ownsNetworks;
        _device = nets.Device;
    }

    /// <summary>Loads the encoder and depth decoder of a model folder (e.g. <c>models/best_weights</c>).</summary>
    public static SplitPredictor Load(string weightsDir, Device? device = null) =>
        new(Checkpoint.Load(weightsDir, device ?? CPU, depthOnly: true), ownsNetworks: true);

    /// <summary>Scaled disparities of RGB images already at the network size, one map each.</summary>
    public IReadOnlyList<FloatMap> Predict(IReadOnlyList<ByteImage> images)
    {
        int h = Options.Height, w = Options.Width, n = h * w;
        var data = new float[images.Count * 3 * n];
        for (int i = 0; i < images.Count; i++)
        {
            var img = images[i];
            if (img.Height != h || img.Width != w || img.Channels != 3)
                throw new ArgumentException($"image {i} is {img.Width}x{img.Height}x{img.Channels}, the model takes {w}x{h} RGB");
            var p = img.Pixels;
            int o = i * 3 * n;
            for (int k = 0; k < n; k++)
            {
                data[o + k] = p[3 * k] / 255f;
                data[o + n + k] = p[3 * k + 1] / 255f;
                data[o + 2 * n + k] = p[3 * k + 2] / 255f;
            }
        }
        _nets.Eval();
        using var noGrad = no_grad();
        using var noGc = new NoGcRegion(); // TorchSharp temporaries must outlive their native calls
        using var scope = NewDisposeScope();
        var x = tensor(data, [images.Count, 3, h, w]).to(_device);
        var disp = _nets.Depth.forward(_nets.Encoder.forward(x))[0];
        var scaled = DispToDepth.Convert(disp, Options.MinDepth, Options.MaxDepth).ScaledDisparity.to(CPU).contiguous();
        var all = scaled.data<float>().ToArray();
        return Enumerable.Range(0, images.Count).Select(i => new FloatMap(h, w, all.AsSpan(i * n, n).ToArray())).ToArray();
    }

    /// <summary>
    /// The disparities of every line of a split, in split order (and, with <paramref name="postProcess"/>, those of
    /// the mirrored images), predicted <paramref name="batchSize"/> images at a time.
    /// </summary>
    public (IReadOnlyList<FloatMap> Disparities, IReadOnlyList<FloatMap>? Mirrored) PredictSplit(
        string dataRoot, IReadOnlyList<SplitEntry> entries, bool postProcess, int batchSize = 8,
        IProgress<ProgressUpdate>? progress = null, CancellationToken ct = default) =>
        PredictFiles(entries.Select(e => KittiRawLayout.ImagePath(dataRoot, e.Folder, e.Camera, e.FrameIndex)).ToList(), postProcess, batchSize, progress, ct);

    /// <summary>The disparities of image files, in order (and, with <paramref name="postProcess"/>, those of the mirrored images).</summary>
    public (IReadOnlyList<FloatMap> Disparities, IReadOnlyList<FloatMap>? Mirrored) PredictFiles(
        IReadOnlyList<string> files, bool postProcess, int batchSize = 8,
        IProgress<ProgressUpdate>? progress = null, CancellationToken ct = default)
    {
        var disps = new List<FloatMap>(files.Count);
        var mirrored = postProcess ? new List<FloatMap>(files.Count) : null;
        for (int start = 0; start < files.Count; start += batchSize)
        {
            ct.ThrowIfCancellationRequested();
            var images = files.Skip(start).Take(batchSize).AsParallel().AsOrdered().Select(f =>
            {
                var raw = ImageFile.LoadRgb(f);
                return raw.Width == Options.Width && raw.Height == Options.Height ? raw : PilResize.Lanczos(raw, Options.Width, Options.Height);
            }).ToList();
            disps.AddRange(Predict(images));
            mirrored?.AddRange(Predict(images.Select(i => i.FlipHorizontal()).ToList()));
            progress?.Report(new ProgressUpdate("predicting", Math.Min(files.Count, start + batchSize), files.Count));
        }
        return (disps, mirrored);
    }

    public void Dispose()
    {
        if (_owns) _nets.Dispose();
    }
}

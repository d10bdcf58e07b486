using Mlda.Checkpoints;
using Mlda.Core.Prediction;
using Mlda.Interop;
using Mlda.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace Mlda.Prediction;

/// <summary>The TorchSharp networks (eager, eval mode, no gradients) as an <see cref="IDisparityModel"/>.</summary>
public sealed class TorchDisparityModel(MldaNetworks nets, bool ownsNetworks = true) : IDisparityModel
{
    /// <summary>A forward pass allocates little managed memory; a small region starts in well under a millisecond.</summary>
    const long PredictionBudgetBytes = 64L << 20;

    public MldaNetworks Networks => nets;
    public int Height => nets.Options.Height;
    public int Width => nets.Options.Width;

    /// <summary>The encoder and depth decoder of a checkpoint folder (e.g. <c>models/best_weights</c>), owned by the model.</summary>
    public static TorchDisparityModel Load(string weightsDir, Device? device = null) =>
        new(Checkpoint.Load(weightsDir, device, depthOnly: true), ownsNetworks: true);

    public float[] PredictDisparity(float[] images, int batch)
    {
        if (images.Length != batch * 3 * Height * Width) throw new ArgumentException($"{images.Length} values for {batch} images of 3x{Height}x{Width}");
        using var noGc = new NoGcRegion(PredictionBudgetBytes); // TorchSharp temporaries must outlive their native calls
        nets.Encoder.eval();
        nets.Depth.eval();
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var x = tensor(images, [batch, 3, Height, Width]).to(nets.Device);
        var disp = nets.Depth.call(nets.Encoder.call(x))[0];
        return disp.cpu().contiguous().data<float>().ToArray();
    }

    public void Dispose()
    {
        if (ownsNetworks) nets.Dispose();
    }
}

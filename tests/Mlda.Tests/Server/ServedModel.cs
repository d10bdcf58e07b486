using Mlda.Core.Prediction;
using Mlda.Export;
using Mlda.Networks;
using Mlda.Server;

namespace Mlda.Tests.Server;

/// <summary>
/// A small random-initialised MLDA-Net (64x192) exported once per test class with the real exporter, loaded as
/// <c>mlda serve</c> loads it. Stereo mode, so depth is metric and every output of a metric model is exercised.
/// </summary>
public sealed class ServedModel : IDisposable
{
    public TempDir Export { get; } = new();
    public DepthService Service { get; }

    public ServedModel()
    {
        using (var nets = MldaNetworks.Create(new ModelOptions(Height: 64, Width: 192), imageNetPretrained: false, seed: 5, withPose: false))
        {
            nets.Eval();
            OnnxExporter.Export(nets, Export.Path, ExportOptions.ForMode(TrainingMode.Stereo));
        }
        Service = DepthService.Load(Export.Path, threads: 1);
    }

    /// <summary>The real KITTI frame (PNG, 1242x375).</summary>
    public static string KittiImage => Path.Combine(SharedData.KittiRawSample, SharedData.Date, SharedData.Drive, "image_02", "data", "0000000000.png");

    public void Dispose()
    {
        Service.Dispose();
        Export.Dispose();
    }
}

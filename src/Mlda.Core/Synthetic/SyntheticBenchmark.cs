using System.Diagnostics;

namespace Mlda.Core.Synthetic;

/// <summary>Seconds per frame of the synthetic renderer, by part (in memory: no PNG encoding, no disk).</summary>
public sealed record SyntheticBenchmarkResult(int Width, int Height, int Frames, int Threads,
    double CamerasSeconds, double ScanSeconds, double EncodeSeconds, double SceneSeconds, double CpuSeconds)
{
    /// <summary>Both colour images, both greys and the scan, per frame.</summary>
    public double RenderSecondsPerFrame => (CamerasSeconds + ScanSeconds) / Frames;
    /// <summary>Rendering plus PNG encoding of the four images, per frame.</summary>
    public double TotalSecondsPerFrame => (CamerasSeconds + ScanSeconds + EncodeSeconds) / Frames;
    /// <summary>Processor time (all threads) per frame, rendering and encoding: on a busy machine this, divided by
    /// the cores, is what the wall time would be on idle ones.</summary>
    public double CpuSecondsPerFrame => CpuSeconds / Frames;
}

/// <summary>
/// Times <see cref="SyntheticDrive.Render"/> on the first frames of one drive (not a test: a figure to report).
/// </summary>
public static class SyntheticBenchmark
{
    public static SyntheticBenchmarkResult Run(int width = SyntheticRig.ReferenceWidth, int height = SyntheticRig.ReferenceHeight,
                                               int frames = 5, int seed = 0, int? threads = null, IProgress<ProgressUpdate>? progress = null)
    {
        var options = new SyntheticDatasetOptions(Drives: 2, Frames: Math.Max(frames, 3), Seed: seed, Width: width, Height: height, Threads: threads);
        options.Validate();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = threads ?? -1 };
        var clock = Stopwatch.StartNew();
        var drive = new SyntheticDrive(options, 1);
        double scene = clock.Elapsed.TotalSeconds;
        double cams = 0, scan = 0, encode = 0;
        drive.Render(0, parallel); // warm-up: JIT and caches
        var cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
        for (int k = 0; k < frames; k++)
        {
            var pose = drive.Poses[k];
            clock.Restart();
            var views = new CameraRenderer.View[4];
            for (int c = 0; c < 4; c++) views[c] = drive.Cameras.Render(pose, c, parallel);
            cams += clock.Elapsed.TotalSeconds;
            clock.Restart();
            drive.Velodyne.Scan(pose, parallel);
            scan += clock.Elapsed.TotalSeconds;
            clock.Restart();
            Parallel.For(0, 4, parallel, c =>
            {
                using var mat = new Imaging.ByteImage(height, width, 3, views[c].Rgb).ToMat();
                OpenCvSharp.Cv2.ImEncode(".png", mat, out _);
            });
            encode += clock.Elapsed.TotalSeconds;
            progress?.Report(new ProgressUpdate("bench synth", k + 1, frames));
        }
        double cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuStart).TotalSeconds;
        int t = threads ?? Environment.ProcessorCount;
        return new SyntheticBenchmarkResult(width, height, frames, t, cams, scan, encode, scene, cpu);
    }
}

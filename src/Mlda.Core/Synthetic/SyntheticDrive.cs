namespace Mlda.Core.Synthetic;

/// <summary>All sensor data of one frame, in memory: the four camera images, the exact depth of image_02 and the scan.</summary>
public sealed record SyntheticFrame(byte[] Gray0, byte[] Gray1, byte[] Rgb2, byte[] Rgb3, float[] Depth2, float[] Scan);

/// <summary>
/// One drive: its street, its trajectory and the renderers that turn a frame index into sensor data. Everything is
/// derived from (seed, drive number), so any frame can be rendered alone, in any order.
/// </summary>
public sealed class SyntheticDrive
{
    internal CameraRenderer Cameras { get; }
    internal VelodyneSimulator Velodyne { get; }
    readonly VehiclePose[] _poses;

    public SyntheticRig Rig { get; }
    public int DriveNumber { get; }
    public IReadOnlyList<VehiclePose> Poses => _poses;
    /// <summary>Latitude, longitude (degrees) and altitude (m) of the IMU at frame 0.</summary>
    public (double Lat, double Lon, double Alt) GeoOrigin { get; }
    internal StreetScene Scene { get; }

    public SyntheticDrive(SyntheticDatasetOptions options, int driveNumber)
    {
        Rig = options.Rig;
        DriveNumber = driveNumber;
        ulong seed = new SceneRandom(((ulong)(uint)options.Seed << 20) ^ (ulong)driveNumber).Next();
        var rng = new SceneRandom(seed);
        double radius = rng.Chance(0.3) ? 1e5 : rng.Uniform(180, 700);
        if (rng.Chance(0.5)) radius = -radius;
        var road = new RoadGeometry(radius, rng.Uniform(-Math.PI, Math.PI));
        // a town around Karlsruhe, one per drive
        GeoOrigin = (49.0 + 0.02 * rng.Unit(), 8.4 + 0.03 * rng.Unit(), 110 + 10 * rng.Unit());
        double reach = options.Frames * 1.5;
        Scene = StreetScene.Generate(rng.Next(), road, -130, reach + 170);
        _poses = DrivePath.Generate(rng.Next(), options.Frames, road, Scene.LaneWidth);
        var caster = new SceneRayCaster(Scene);
        var shader = new SurfaceShader(Scene);
        Cameras = new CameraRenderer(caster, shader, Rig);
        Velodyne = new VelodyneSimulator(caster, shader);
    }

    public int Frames => _poses.Length;

    /// <summary>Distance (m) the rig moved from frame <paramref name="a"/> to <paramref name="b"/>.</summary>
    public double Travel(int a, int b) => Math.Sqrt(Math.Pow(_poses[b].X - _poses[a].X, 2) + Math.Pow(_poses[b].Y - _poses[a].Y, 2));

    public SyntheticFrame Render(int frame, ParallelOptions parallel)
    {
        var pose = _poses[frame];
        var v0 = Cameras.Render(pose, 0, parallel);
        var v1 = Cameras.Render(pose, 1, parallel);
        var v2 = Cameras.Render(pose, 2, parallel);
        var v3 = Cameras.Render(pose, 3, parallel);
        var scan = Velodyne.Scan(pose, parallel);
        return new SyntheticFrame(ToGray(v0.Rgb), ToGray(v1.Rgb), v2.Rgb, v3.Rgb, v2.Depth, scan);
    }

    /// <summary>Colour to 8-bit grey with PIL's <c>convert("L")</c> integer weights (ITU-R 601-2).</summary>
    static byte[] ToGray(byte[] rgb)
    {
        var g = new byte[rgb.Length / 3];
        for (int i = 0; i < g.Length; i++)
            g[i] = (byte)((rgb[3 * i] * 19595 + rgb[3 * i + 1] * 38470 + rgb[3 * i + 2] * 7471 + 0x8000) >> 16);
        return g;
    }

    internal string[] OxtsLines() => OxtsSynthesizer.Lines(_poses, GeoOrigin.Lat, GeoOrigin.Lon, GeoOrigin.Alt);
}

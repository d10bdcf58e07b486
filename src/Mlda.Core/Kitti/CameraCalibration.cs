namespace Mlda.Core.Kitti;

/// <summary>
/// The calibration of one KITTI recording date (<c>&lt;data&gt;/&lt;date&gt;/calib_cam_to_cam.txt</c> and
/// <c>calib_velo_to_cam.txt</c>): rectified projections of the four cameras, the rectifying rotation of camera 0,
/// the Velodyne-to-camera-0 transform and the rectified image size, which differs between dates.
/// </summary>
public sealed class CameraCalibration
{
    public const string CamToCamFile = "calib_cam_to_cam.txt";
    public const string VeloToCamFile = "calib_velo_to_cam.txt";

    /// <summary>The folder that holds the files (the date folder).</summary>
    public string DateDir { get; }

    /// <summary>Every key of calib_cam_to_cam.txt.</summary>
    public CalibrationFile CamToCam { get; }

    /// <summary>Every key of calib_velo_to_cam.txt.</summary>
    public CalibrationFile VeloToCamFileContents { get; }

    /// <summary><c>P_rect_00</c> .. <c>P_rect_03</c>, each 3x4: rectified camera i projection (pixels).</summary>
    public IReadOnlyList<double[,]> RectifiedProjections { get; }

    /// <summary><c>R_rect_00</c> (3x3): rotates unrectified camera-0 coordinates into the rectified frame.</summary>
    public double[,] RectificationRotation { get; }

    /// <summary>4x4 [R | T; 0 0 0 1] from calib_velo_to_cam.txt: Velodyne → unrectified camera 0.</summary>
    public double[,] VeloToCam { get; }

    /// <summary>Rectified image width from <c>S_rect_02</c> (1242 for 2011_09_26, 1241 for 2011_10_03).</summary>
    public int ImageWidth { get; }

    /// <summary>Rectified image height from <c>S_rect_02</c> (375 for 2011_09_26, 376 for 2011_10_03).</summary>
    public int ImageHeight { get; }

    CameraCalibration(string dateDir, CalibrationFile camToCam, CalibrationFile veloToCam)
    {
        DateDir = dateDir;
        CamToCam = camToCam;
        VeloToCamFileContents = veloToCam;
        RectifiedProjections = Enumerable.Range(0, 4).Select(i => camToCam.GetMatrix($"P_rect_0{i}", 3, 4)).ToArray();
        RectificationRotation = camToCam.GetMatrix("R_rect_00", 3, 3);
        var r = veloToCam.Get("R", 9);
        var t = veloToCam.Get("T", 3);
        VeloToCam = new double[4, 4];
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 3; j++) VeloToCam[i, j] = r[i * 3 + j];
            VeloToCam[i, 3] = t[i];
        }
        VeloToCam[3, 3] = 1.0;
        // monodepth2 casts S_rect_02 to int32 (truncation) and uses camera 2's size for every camera.
        var s = camToCam.Get("S_rect_02", 2);
        ImageWidth = (int)s[0];
        ImageHeight = (int)s[1];
        if (ImageWidth <= 0 || ImageHeight <= 0)
            throw new InputException(camToCam.Path, $"S_rect_02 gives an empty image size {ImageWidth}x{ImageHeight}", camToCam.LineOf("S_rect_02"));
    }

    /// <summary>Loads the two files of <paramref name="dateDir"/>; a missing or malformed file is an InputException.</summary>
    public static CameraCalibration Load(string dateDir) =>
        new(dateDir, CalibrationFile.Read(Path.Combine(dateDir, CamToCamFile)), CalibrationFile.Read(Path.Combine(dateDir, VeloToCamFile)));

    /// <summary><c>P_rect_0{camera}</c> (3x4).</summary>
    public double[,] Projection(int camera) => camera is >= 0 and <= 3
        ? RectifiedProjections[camera]
        : throw new ArgumentOutOfRangeException(nameof(camera), camera, "KITTI cameras are 0..3");

    /// <summary>The rectified intrinsics of a camera: the left 3x3 block of its <c>P_rect</c>.</summary>
    public double[,] Intrinsics(int camera)
    {
        var p = Projection(camera);
        var k = new double[3, 3];
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                k[i, j] = p[i, j];
        return k;
    }

    /// <summary>
    /// The x offset of a rectified camera from camera 0 in metres, <c>P_rect[0,3] / P_rect[0,0]</c> (pykitti's
    /// derivation; positive to the left of camera 0 is negative here, as in pykitti).
    /// </summary>
    public double CameraOffsetX(int camera)
    {
        var p = Projection(camera);
        return p[0, 3] / p[0, 0];
    }

    /// <summary>The distance between two rectified cameras along x in metres (0.5327 m for the 2011_09_26 colour pair).</summary>
    public double Baseline(int cameraA, int cameraB) => Math.Abs(CameraOffsetX(cameraA) - CameraOffsetX(cameraB));

    /// <summary>The colour stereo baseline (cameras 2 and 3). monodepth2 assumes the nominal 0.54 m instead.</summary>
    public double StereoBaseline => Baseline(2, 3);

    /// <summary>
    /// <c>P_rect_0{camera} · R_cam2rect · velo2cam</c> (3x4), in float64 and in numpy's order of products: maps
    /// homogeneous Velodyne points to homogeneous pixels of the rectified camera.
    /// </summary>
    public double[,] VeloToImage(int camera)
    {
        var rect = new double[4, 4];
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                rect[i, j] = RectificationRotation[i, j];
        rect[3, 3] = 1.0;
        return Multiply(Multiply(Projection(camera), rect), VeloToCam);
    }

    static double[,] Multiply(double[,] a, double[,] b)
    {
        int n = a.GetLength(0), m = a.GetLength(1), p = b.GetLength(1);
        var r = new double[n, p];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < p; j++)
            {
                double s = 0;
                for (int k = 0; k < m; k++) s += a[i, k] * b[k, j];
                r[i, j] = s;
            }
        return r;
    }
}

namespace Mlda.Core.Imaging;

/// <summary>Pinhole intrinsics in pixels for an image of a given size.</summary>
public sealed record CameraIntrinsics(double Fx, double Fy, double Cx, double Cy)
{
    /// <summary>
    /// The normalised K every KITTI item shares in monodepth2/MLDA <c>kitti_dataset.py</c> (spec §1.1):
    /// [[0.58, 0, 0.5], [0, 1.92, 0.5]], scaled by the image width and height. The real principal point
    /// (0.491, 0.461) is ignored, as in the reference. At 640×192: fx 371.2, fy 368.64, cx 320, cy 96.
    /// </summary>
    public const float KittiFx = 0.58f, KittiFy = 1.92f, KittiCx = 0.5f, KittiCy = 0.5f;

    /// <summary>The intrinsics the networks are trained with; right for KITTI-like images.</summary>
    public static CameraIntrinsics KittiNormalised(int width, int height) =>
        new(0.58 * width, 1.92 * height, 0.5 * width, 0.5 * height);

    /// <summary>The KITTI training K at scale <paramref name="scale"/> (<see cref="NormalisedIntrinsics.Kitti"/>).</summary>
    public static float[] KittiMatrix4(int width, int height, int scale = 0) => NormalisedIntrinsics.Kitti.Matrix4(width, height, scale);

    /// <summary>The inverse of <see cref="KittiMatrix4"/>.</summary>
    public static float[] KittiInverseMatrix4(int width, int height, int scale = 0) => NormalisedIntrinsics.Inverse4(KittiMatrix4(width, height, scale));

    /// <summary>From a 3x3 (or 3x4) camera matrix, e.g. a KITTI P_rect_02.</summary>
    public static CameraIntrinsics FromMatrix(double[,] k) => new(k[0, 0], k[1, 1], k[0, 2], k[1, 2]);

    /// <summary>This camera divided by the size of its images (<paramref name="width"/>, <paramref name="height"/>).</summary>
    public NormalisedIntrinsics Normalised(int width, int height) =>
        new((float)(Fx / width), (float)(Fy / height), (float)(Cx / width), (float)(Cy / height));

    /// <summary>The same camera for the image resized from (fromWidth, fromHeight) to (toWidth, toHeight).</summary>
    public CameraIntrinsics Resized(int fromWidth, int fromHeight, int toWidth, int toHeight)
    {
        double sx = (double)toWidth / fromWidth, sy = (double)toHeight / fromHeight;
        return new(Fx * sx, Fy * sy, Cx * sx, Cy * sy);
    }
}

namespace Mlda.Core.Imaging;

/// <summary>Pinhole intrinsics in pixels for an image of a given size.</summary>
public sealed record CameraIntrinsics(double Fx, double Fy, double Cx, double Cy)
{
    /// <summary>
    /// The normalised K every KITTI item shares in monodepth2/MLDA <c>kitti_dataset.py</c> (<c>KITTIDataset.K</c>):
    /// [[0.58, 0, 0.5], [0, 1.92, 0.5]], scaled by the image width and height. The real principal point
    /// (0.491, 0.461) is ignored, as in the reference. At 640×192: fx 371.2, fy 368.64, cx 320, cy 96.
    /// </summary>
    public const float KittiFx = 0.58f, KittiFy = 1.92f, KittiCx = 0.5f, KittiCy = 0.5f;

    /// <summary>The intrinsics the networks are trained with; right for KITTI-like images.</summary>
    public static CameraIntrinsics KittiNormalised(int width, int height) =>
        new(0.58 * width, 1.92 * height, 0.5 * width, 0.5 * height);

    /// <summary>
    /// The training K at scale <paramref name="scale"/> as the row-major homogeneous 4×4 the warping takes, in the
    /// reference's float32 arithmetic (the float32 normalised K times width // 2^s and height // 2^s).
    /// </summary>
    public static float[] KittiMatrix4(int width, int height, int scale = 0)
    {
        float w = width >> scale, h = height >> scale;
        return [KittiFx * w, 0, KittiCx * w, 0, 0, KittiFy * h, KittiCy * h, 0, 0, 0, 1, 0, 0, 0, 0, 1];
    }

    /// <summary>The inverse of <see cref="KittiMatrix4"/> (exact for this form of K: the reference's pinv equals it).</summary>
    public static float[] KittiInverseMatrix4(int width, int height, int scale = 0)
    {
        var k = KittiMatrix4(width, height, scale);
        float fx = k[0], cx = k[2], fy = k[5], cy = k[6];
        return [1 / fx, 0, -cx / fx, 0, 0, 1 / fy, -cy / fy, 0, 0, 0, 1, 0, 0, 0, 0, 1];
    }

    /// <summary>From a 3x3 (or 3x4) camera matrix, e.g. a KITTI P_rect_02.</summary>
    public static CameraIntrinsics FromMatrix(double[,] k) => new(k[0, 0], k[1, 1], k[0, 2], k[1, 2]);

    /// <summary>The same camera for the image resized from (fromWidth, fromHeight) to (toWidth, toHeight).</summary>
    public CameraIntrinsics Resized(int fromWidth, int fromHeight, int toWidth, int toHeight)
    {
        double sx = (double)toWidth / fromWidth, sy = (double)toHeight / fromHeight;
        return new(Fx * sx, Fy * sy, Cx * sx, Cy * sy);
    }
}

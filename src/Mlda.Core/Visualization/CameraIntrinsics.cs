namespace Mlda.Core.Visualization;

/// <summary>Pinhole intrinsics in pixels for an image of a given size.</summary>
public sealed record CameraIntrinsics(double Fx, double Fy, double Cx, double Cy)
{
    /// <summary>
    /// The intrinsics the networks are trained with (monodepth2/MLDA <c>kitti_dataset.py</c>): the normalised
    /// K = [[0.58, 0, 0.5], [0, 1.92, 0.5]] scaled by the image width and height. Right for KITTI-like images.
    /// </summary>
    public static CameraIntrinsics KittiNormalised(int width, int height) => new(0.58 * width, 1.92 * height, 0.5 * width, 0.5 * height);

    /// <summary>From a 3x3 (or 3x4) camera matrix, e.g. a KITTI P_rect_02.</summary>
    public static CameraIntrinsics FromMatrix(double[,] k) => new(k[0, 0], k[1, 1], k[0, 2], k[1, 2]);

    /// <summary>The same camera for the image resized from (fromWidth, fromHeight) to (toWidth, toHeight).</summary>
    public CameraIntrinsics Resized(int fromWidth, int fromHeight, int toWidth, int toHeight)
    {
        double sx = (double)toWidth / fromWidth, sy = (double)toHeight / fromHeight;
        return new(Fx * sx, Fy * sy, Cx * sx, Cy * sy);
    }
}

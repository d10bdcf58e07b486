namespace Mlda.Core.Imaging;

/// <summary>
/// A pinhole camera as monodepth2's datasets hold it (<c>kitti_dataset.py KITTIDataset.K</c>): focal lengths and
/// principal point divided by the image width (first row) and height (second row), so that one K serves every
/// resolution. monodepth2's note for other cameras applies: normalise your own intrinsics by the size of the images
/// they belong to. Each training item carries its own (<c>mono_dataset.py __getitem__</c> scales K to each scale).
/// </summary>
public readonly record struct NormalisedIntrinsics(float Fx, float Fy, float Cx, float Cy)
{
    /// <summary>
    /// The K every KITTI item shares in monodepth2/MLDA <c>kitti_dataset.py</c>: [[0.58, 0, 0.5], [0, 1.92, 0.5]].
    /// The real principal point (0.491, 0.461) is ignored, as in the reference.
    /// </summary>
    public static NormalisedIntrinsics Kitti =>
        new(CameraIntrinsics.KittiFx, CameraIntrinsics.KittiFy, CameraIntrinsics.KittiCx, CameraIntrinsics.KittiCy);

    /// <summary>
    /// K at scale <paramref name="scale"/> as the row-major homogeneous 4×4 the warping takes, in the reference's
    /// float32 arithmetic (the float32 normalised K times width // 2^s and height // 2^s).
    /// </summary>
    public float[] Matrix4(int width, int height, int scale = 0)
    {
        float w = width >> scale, h = height >> scale;
        return [Fx * w, 0, Cx * w, 0, 0, Fy * h, Cy * h, 0, 0, 0, 1, 0, 0, 0, 0, 1];
    }

    /// <summary>
    /// The inverse of a row-major 4×4 pinhole K without skew (<see cref="Matrix4"/>'s form; the reference's
    /// <c>np.linalg.pinv</c> equals it).
    /// </summary>
    public static float[] Inverse4(float[] k)
    {
        float fx = k[0], cx = k[2], fy = k[5], cy = k[6];
        return [1 / fx, 0, -cx / fx, 0, 0, 1 / fy, -cy / fy, 0, 0, 0, 1, 0, 0, 0, 0, 1];
    }
}

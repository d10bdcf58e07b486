namespace Mlda.Training;

/// <summary>
/// The KITTI intrinsics every item shares (spec §1.1): normalised K = [[0.58, 0, 0.5], [0, 1.92, 0.5]], row 0 scaled
/// by width // 2^s and row 1 by height // 2^s. The real principal point (0.491, 0.461) is ignored, as in the
/// reference. At 640×192, scale 0: fx 371.2, fy 368.64, cx 320, cy 96.
/// </summary>
public static class CameraIntrinsics
{
    public const float Fx = 0.58f, Fy = 1.92f, Cx = 0.5f, Cy = 0.5f;

    /// <summary>Row-major 4×4 K at scale <paramref name="scale"/>.</summary>
    public static float[] K(int width, int height, int scale = 0)
    {
        float w = width >> scale, h = height >> scale;
        return [Fx * w, 0, Cx * w, 0, 0, Fy * h, Cy * h, 0, 0, 0, 1, 0, 0, 0, 0, 1];
    }

    /// <summary>Row-major 4×4 K⁻¹ (exact for this form of K: the pinv of the reference equals the inverse).</summary>
    public static float[] InverseK(int width, int height, int scale = 0)
    {
        var k = K(width, height, scale);
        float fx = k[0], cx = k[2], fy = k[5], cy = k[6];
        return [1 / fx, 0, -cx / fx, 0, 0, 1 / fy, -cy / fy, 0, 0, 0, 1, 0, 0, 0, 0, 1];
    }
}

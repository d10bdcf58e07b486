namespace Mlda.Core.Synthetic;

/// <summary>
/// Renders one rectified pinhole view of the street by ray casting.
/// Pixel convention: pixel (col, row) is centred on the projected coordinates (u, v) = (col + 1, row + 1) of
/// P_rect, the 1-based convention of the KITTI Matlab devkit that monodepth2's <c>generate_depth_map</c>
/// undoes with <c>round(u) - 1</c>; so a LiDAR point projected by that code lands on the pixel that saw it.
/// Anti-aliasing is adaptive: one ray at each pixel centre, then four more on a rotated grid wherever a
/// 4-neighbour saw a different surface of a different colour (textures are band-limited, so only silhouettes need it). Rows are
/// rendered in parallel; every sample is a pure function of its pixel, so the bytes do not depend on threads.
/// </summary>
internal sealed class CameraRenderer
{
    static readonly (double Du, double Dv)[] RotatedGrid = { (-0.125, -0.375), (0.375, -0.125), (0.125, 0.375), (-0.375, 0.125) };

    readonly SceneRayCaster _caster;
    readonly SurfaceShader _shader;
    readonly SyntheticRig _rig;

    public CameraRenderer(SceneRayCaster caster, SurfaceShader shader, SyntheticRig rig)
    {
        _caster = caster;
        _shader = shader;
        _rig = rig;
    }

    /// <summary>A rendered view: 8-bit RGB (row-major, interleaved) and the camera z of each pixel centre
    /// (metres; 0 where the pixel sees the sky).</summary>
    public sealed record View(byte[] Rgb, float[] Depth);

    public View Render(VehiclePose pose, int cam, ParallelOptions parallel)
    {
        int w = _rig.Width, h = _rig.Height;
        var origin = pose.Camera(cam);
        Vec3 right = pose.Right, down = new(0, 0, -1), forward = pose.Forward;
        var colour = new float[w * h * 3];
        var ids = new int[w * h];
        var depth = new float[w * h];
        Parallel.For(0, h, parallel, row =>
        {
            for (int col = 0; col < w; col++)
            {
                int i = row * w + col;
                var c = Sample(origin, right, down, forward, col + 1.0, row + 1.0, out int id, out double z);
                colour[3 * i] = (float)c.R;
                colour[3 * i + 1] = (float)c.G;
                colour[3 * i + 2] = (float)c.B;
                ids[i] = id;
                depth[i] = (float)z;
            }
        });
        var rgb = new byte[w * h * 3];
        Parallel.For(0, h, parallel, row =>
        {
            for (int col = 0; col < w; col++)
            {
                int i = row * w + col;
                double r = colour[3 * i], g = colour[3 * i + 1], b = colour[3 * i + 2];
                if (IsEdge(ids, colour, w, h, row, col))
                {
                    foreach (var (du, dv) in RotatedGrid)
                    {
                        var c = Sample(origin, right, down, forward, col + 1.0 + du, row + 1.0 + dv, out _, out _);
                        r += c.R; g += c.G; b += c.B;
                    }
                    r /= 5; g /= 5; b /= 5;
                }
                rgb[3 * i] = ToByte(r);
                rgb[3 * i + 1] = ToByte(g);
                rgb[3 * i + 2] = ToByte(b);
            }
        });
        return new View(rgb, depth);
    }

    /// <summary>
    /// A pixel where a 4-neighbour saw another surface with a visibly different colour (a silhouette or a
    /// crease). Low-contrast seams (road to kerb, the faces of one wall) are left alone: aliasing there is below
    /// a grey level or two, and skipping them roughly halves the supersampled pixels.
    /// </summary>
    static bool IsEdge(int[] ids, float[] colour, int w, int h, int row, int col)
    {
        int i = row * w + col, id = ids[i];
        return (col > 0 && ids[i - 1] != id && Contrast(colour, i, i - 1))
            || (col < w - 1 && ids[i + 1] != id && Contrast(colour, i, i + 1))
            || (row > 0 && ids[i - w] != id && Contrast(colour, i, i - w))
            || (row < h - 1 && ids[i + w] != id && Contrast(colour, i, i + w));
    }

    const float EdgeContrast = 6f / 255f;

    static bool Contrast(float[] c, int a, int b) =>
        Math.Abs(c[3 * a] - c[3 * b]) > EdgeContrast || Math.Abs(c[3 * a + 1] - c[3 * b + 1]) > EdgeContrast
        || Math.Abs(c[3 * a + 2] - c[3 * b + 2]) > EdgeContrast;

    static byte ToByte(double v) => (byte)Math.Clamp((int)(v * 255.0 + 0.5), 0, 255); // v * 255 + 0.5 truncated: round half up; negatives clamp to 0

    Rgb Sample(Vec3 origin, Vec3 right, Vec3 down, Vec3 forward, double u, double v, out int id, out double z)
    {
        double a = (u - _rig.Cx) / _rig.Fx, b = (v - _rig.Cy) / _rig.Fy;
        var dir = forward + a * right + b * down;
        double len = dir.Length;
        dir = (1.0 / len) * dir;
        if (!_caster.Trace(origin, dir, out var hit))
        {
            id = 0;
            z = 0;
            return _shader.Sky(dir);
        }
        id = hit.Id;
        z = hit.T / len; // the forward component of the unit ray is 1/len
        double cos = Math.Abs(hit.N.Dot(dir));
        // footprint of one pixel on the surface; the grazing stretch (1/cos) is only partly honoured (isotropic
        // filtering would blur the road across its width)
        double c = Math.Sqrt(Math.Max(cos, 0.1));
        double footprint = hit.T / (_rig.Fx * len * c * Math.Sqrt(c)); // cos^0.75
        return _shader.Shade(hit, footprint);
    }
}

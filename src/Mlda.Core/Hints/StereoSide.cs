namespace Mlda.Core.Hints;

/// <summary>Which camera of the rectified pair a hint is for: left = KITTI image_02 (side "l"), right = image_03 ("r").</summary>
public enum StereoSide
{
    Left,
    Right,
}

public static class StereoSideExtensions
{
    /// <summary>KITTI colour camera: 2 for left, 3 for right.</summary>
    public static int Camera(this StereoSide side) => side == StereoSide.Left ? 2 : 3;

    public static StereoSide Other(this StereoSide side) => side == StereoSide.Left ? StereoSide.Right : StereoSide.Left;

    /// <summary>monodepth2's side letter: l/2 → left, r/3 → right.</summary>
    public static StereoSide FromLetter(char side) => side switch
    {
        'l' or '2' => StereoSide.Left,
        'r' or '3' => StereoSide.Right,
        _ => throw new ArgumentOutOfRangeException(nameof(side), side, "side must be l, r, 2 or 3"),
    };

    public static char Letter(this StereoSide side) => side == StereoSide.Left ? 'l' : 'r';
}

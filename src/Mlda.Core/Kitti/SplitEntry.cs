namespace Mlda.Core.Kitti;

/// <summary>
/// One line of a monodepth2 split file: <c>&lt;folder&gt; &lt;frame&gt; &lt;side&gt;</c>, e.g.
/// <c>2011_09_26/2011_09_26_drive_0002_sync 0000000069 l</c>. <paramref name="Side"/> is 'l', 'r', '2' or '3'
/// (null for lines without a side); <paramref name="Line"/> is the 1-based line number in the file.
/// </summary>
public sealed record SplitEntry(string Folder, int FrameIndex, char? Side, int Line)
{
    /// <summary>The KITTI camera of the side: l/2 → 2 (left colour), r/3 → 3 (right colour); null side → 2.</summary>
    public int Camera => Side switch
    {
        'r' or '3' => 3,
        _ => 2,
    };

    /// <summary>The date folder that holds the calibration: the part of <see cref="Folder"/> before the first '/'.</summary>
    public string Date => Folder.Split('/')[0];

    /// <summary>The line as monodepth2 writes it (frame unpadded, as in its training splits).</summary>
    public override string ToString() => Side is null ? $"{Folder} {FrameIndex}" : $"{Folder} {FrameIndex} {Side}";
}

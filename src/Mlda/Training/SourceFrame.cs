namespace Mlda.Training;

/// <summary>
/// A frame of a training item by the reference's frame id: the target (0, <see cref="Target"/>), a temporal neighbour
/// (<see cref="Offset"/> −1, +1, …) or the stereo view ('s', <see cref="IsStereo"/>); sources come in the reference's
/// order [−1, 1, 's'].
/// </summary>
public readonly record struct SourceFrame(int Offset, bool IsStereo)
{
    public static SourceFrame Temporal(int offset) => new(offset, false);
    public static SourceFrame Stereo => new(0, true);
    public static SourceFrame Target => new(0, false);
    public override string ToString() => IsStereo ? "s" : Offset.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static IReadOnlyList<SourceFrame> For(DatasetOptions options)
    {
        var list = options.Offsets.Select(Temporal).ToList();
        if (options.UseStereo) list.Add(Stereo);
        return list;
    }
}

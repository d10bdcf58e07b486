namespace Mlda.Training;

/// <summary>
/// A source view of a training item: a temporal neighbour (<see cref="Offset"/> −1, +1, …) or the stereo view
/// ('s', <see cref="IsStereo"/>), in the reference's frame-id order [−1, 1, 's'].
/// </summary>
public readonly record struct SourceFrame(int Offset, bool IsStereo)
{
    public static SourceFrame Temporal(int offset) => new(offset, false);
    public static SourceFrame Stereo => new(0, true);
    public override string ToString() => IsStereo ? "s" : Offset.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static IReadOnlyList<SourceFrame> For(DatasetOptions options)
    {
        var list = options.Offsets.Select(Temporal).ToList();
        if (options.UseStereo) list.Add(Stereo);
        return list;
    }
}

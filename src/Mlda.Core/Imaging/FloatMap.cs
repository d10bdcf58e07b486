namespace Mlda.Core.Imaging;

/// <summary>
/// A dense single-channel float32 map in row-major order (depth, disparity, hint, error map). The one
/// shape every layer exchanges: LiDAR ground truth, synthetic exact depth, depth hints, predictions.
/// </summary>
public sealed class FloatMap
{
    public int Height { get; }
    public int Width { get; }
    public float[] Values { get; }

    public FloatMap(int height, int width, float[]? values = null)
    {
        if (height <= 0 || width <= 0) throw new ArgumentOutOfRangeException(nameof(height), $"size {height}x{width}");
        values ??= new float[checked(height * width)];
        if (values.Length != height * width)
            throw new ArgumentException($"{values.Length} values for a {height}x{width} map", nameof(values));
        Height = height;
        Width = width;
        Values = values;
    }

    public float this[int row, int col]
    {
        get => Values[row * Width + col];
        set => Values[row * Width + col] = value;
    }

    public Span<float> Row(int row) => Values.AsSpan(row * Width, Width);

    public FloatMap Clone() => new(Height, Width, (float[])Values.Clone());
}

namespace Mlda.Core.Synthetic;

/// <summary>
/// A uniform 2D grid over the ground plane listing the primitives whose footprint overlaps each cell
/// (compressed rows). Rays walk it cell by cell (Amanatides and Woo 1987), so each ray tests only the few
/// objects it passes near and stops at the first cell that contains its nearest hit.
/// </summary>
internal sealed class SceneGrid
{
    public double X0 { get; }
    public double Y0 { get; }
    public double Cell { get; }
    public int Nx { get; }
    public int Ny { get; }
    readonly int[] _start;
    readonly int[] _items;
    readonly double[] _top;
    readonly double[] _blockTop;
    readonly int _bx;

    /// <summary>Blocks of 2^BlockShift x 2^BlockShift cells carry the height of their tallest object too, so a
    /// rising ray skips a block it passes above in one step.</summary>
    public const int BlockShift = 1;

    public SceneGrid(Primitive[] prims, double cellSize)
    {
        Cell = cellSize;
        double minX = 0, minY = 0, maxX = 1, maxY = 1;
        if (prims.Length > 0)
        {
            minX = minY = double.MaxValue;
            maxX = maxY = double.MinValue;
            foreach (var p in prims)
            {
                var b = p.Bounds2D();
                minX = Math.Min(minX, b.MinX); minY = Math.Min(minY, b.MinY);
                maxX = Math.Max(maxX, b.MaxX); maxY = Math.Max(maxY, b.MaxY);
            }
        }
        X0 = minX - cellSize;
        Y0 = minY - cellSize;
        Nx = Math.Max(1, (int)Math.Ceiling((maxX - X0) / cellSize) + 1);
        Ny = Math.Max(1, (int)Math.Ceiling((maxY - Y0) / cellSize) + 1);
        var counts = new int[Nx * Ny + 1];
        foreach (var (p, cell) in Cells(prims)) counts[cell + 1]++;
        for (int i = 1; i < counts.Length; i++) counts[i] += counts[i - 1];
        _start = counts;
        _items = new int[counts[^1]];
        var fill = (int[])counts.Clone();
        _top = new double[Nx * Ny];
        foreach (var (p, cell) in Cells(prims))
        {
            _items[fill[cell]++] = p;
            _top[cell] = Math.Max(_top[cell], prims[p].Top);
        }
        _bx = (Nx >> BlockShift) + 1;
        _blockTop = new double[_bx * ((Ny >> BlockShift) + 1)];
        for (int cy = 0; cy < Ny; cy++)
        for (int cx = 0; cx < Nx; cx++)
        {
            int b = (cy >> BlockShift) * _bx + (cx >> BlockShift);
            _blockTop[b] = Math.Max(_blockTop[b], _top[cy * Nx + cx]);
        }
    }

    public double BlockTop(int bx, int by) => _blockTop[by * _bx + bx];

    IEnumerable<(int Prim, int Cell)> Cells(Primitive[] prims)
    {
        for (int i = 0; i < prims.Length; i++)
        {
            var b = prims[i].Bounds2D();
            int x0 = CellX(b.MinX), x1 = CellX(b.MaxX), y0 = CellY(b.MinY), y1 = CellY(b.MaxY);
            for (int cy = y0; cy <= y1; cy++)
            for (int cx = x0; cx <= x1; cx++)
                yield return (i, cy * Nx + cx);
            // members of a group are reached through it
            if (prims[i].Kind == PrimitiveKind.Group) i += prims[i].Variant;
        }
    }

    /// <summary>Height of the tallest object overlapping the cell: rays above it skip the cell's tests.</summary>
    public double Top(int cx, int cy) => _top[cy * Nx + cx];

    int CellX(double x) => Math.Clamp((int)Math.Floor((x - X0) / Cell), 0, Nx - 1);
    int CellY(double y) => Math.Clamp((int)Math.Floor((y - Y0) / Cell), 0, Ny - 1);

    public ReadOnlySpan<int> Items(int cx, int cy)
    {
        int c = cy * Nx + cx;
        return _items.AsSpan(_start[c], _start[c + 1] - _start[c]);
    }
}

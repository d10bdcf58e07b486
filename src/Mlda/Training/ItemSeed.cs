namespace Mlda.Training;

/// <summary>
/// A seed for one (run seed, epoch, position) triple, the same in every process. (HashCode.Combine is randomised
/// per process, which would give a resumed run other augmentations than the interrupted one.) SplitMix64 finaliser.
/// </summary>
public static class ItemSeed
{
    public static int Of(long seed, int epoch, int position)
    {
        ulong z = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL + (ulong)(uint)epoch * 0xBF58476D1CE4E5B9UL + (ulong)(uint)position * 0x94D049BB133111EBUL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return unchecked((int)z);
    }
}

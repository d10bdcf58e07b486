namespace Mlda.Core.Synthetic;

/// <summary>
/// Stateless integer hashing. Every random quantity of a render (texture lattices, per-brick tints) is a pure
/// function of (seed, coordinates), so the bytes do not depend on thread scheduling.
/// </summary>
internal static class Hash
{
    /// <summary>"lowbias32" finaliser (Chris Wellons' hash prospector): good avalanche for two multiplies.</summary>
    public static uint Mix(uint x)
    {
        x ^= x >> 16; x *= 0x7feb352dU;
        x ^= x >> 15; x *= 0x846ca68bU;
        x ^= x >> 16;
        return x;
    }

    public static uint Of(uint a, uint b) => Mix(a ^ Mix(b + 0x9e3779b9U));
    public static uint Of(uint a, uint b, uint c) => Mix(a ^ Mix(b ^ Mix(c + 0x9e3779b9U)));
    public static uint Of(uint a, uint b, uint c, uint d) => Mix(a ^ Mix(b ^ Mix(c ^ Mix(d + 0x9e3779b9U))));

    /// <summary>Uniform in [0, 1) from the top 24 bits.</summary>
    public static double Unit(uint h) => (h >> 8) * (1.0 / 16777216.0);
}

/// <summary>
/// Sequential generator for building a scene (object sizes and placements): SplitMix64 held by value, so each
/// drive's layout depends only on its seed.
/// </summary>
internal struct SceneRandom
{
    ulong _state;

    public SceneRandom(ulong seed) => _state = seed * 0x9E3779B97F4A7C15UL + 0x632BE59BD9B4E019UL;

    public ulong Next()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public double Unit() => (Next() >> 11) * (1.0 / 9007199254740992.0);
    public double Uniform(double lo, double hi) => lo + (hi - lo) * Unit();
    public bool Chance(double p) => Unit() < p;
    public int Below(int n) => (int)(Unit() * n);
    public uint NextUInt() => (uint)(Next() >> 32);
}

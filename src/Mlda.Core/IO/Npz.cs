using System.IO.Compression;

namespace Mlda.Core.IO;

/// <summary>
/// numpy's <c>.npz</c>: a zip of <c>.npy</c> members, stored (<c>np.savez</c>) or deflated (<c>np.savez_compressed</c>).
/// Keys are the member names without <c>.npy</c>, as <c>np.load(path)[key]</c> sees them. Object (pickled) members
/// are refused with an <see cref="InputException"/>: C# cannot unpickle them. Every member's CRC-32 is checked
/// (as Python's <c>zipfile</c> does when numpy reads it): .NET's zip reader does not, and would hand on corrupt data.
/// </summary>
public static class Npz
{
    /// <summary>Reads every member, in archive order.</summary>
    public static IReadOnlyDictionary<string, NpyArray> Read(string path)
    {
        if (!File.Exists(path)) throw new InputException(path, "file not found");
        var result = new Dictionary<string, NpyArray>(StringComparer.Ordinal);
        try
        {
            using var zip = ZipFile.OpenRead(path);
            foreach (var entry in zip.Entries)
            {
                if (entry.FullName.EndsWith('/')) continue;
                var key = entry.FullName.EndsWith(".npy", StringComparison.Ordinal) ? entry.FullName[..^4] : entry.FullName;
                using var s = new Crc32Stream(entry.Open());
                result[key] = Npy.ReadFrom(s, $"{path}[{key}]");
                s.CopyTo(Stream.Null);
                if (s.Crc != entry.Crc32)
                    throw new InputException(path, $"member '{entry.FullName}' is corrupt: CRC-32 {s.Crc:x8}, the archive says {entry.Crc32:x8}");
            }
        }
        catch (InvalidDataException e)
        {
            throw new InputException(path, $"not a readable .npz (zip) file: {e.Message}", inner: e);
        }
        return result;
    }

    /// <summary>Reads one member; a missing key is an <see cref="InputException"/> naming the keys present.</summary>
    public static NpyArray Read(string path, string key)
    {
        var all = Read(path);
        return all.TryGetValue(key, out var a) ? a
            : throw new InputException(path, $"no array '{key}' (has: {string.Join(", ", all.Keys)})");
    }

    /// <summary>Writes the arrays in the given order, atomically; <paramref name="compressed"/> is np.savez_compressed.</summary>
    public static void Write(string path, IEnumerable<KeyValuePair<string, NpyArray>> arrays, bool compressed = true)
    {
        var list = arrays.ToList();
        AtomicFile.WriteStream(path, stream =>
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
            foreach (var (key, array) in list)
            {
                var entry = zip.CreateEntry(key + ".npy", compressed ? CompressionLevel.Optimal : CompressionLevel.NoCompression);
                using var s = entry.Open();
                Npy.WriteTo(s, array);
            }
        });
    }

    public static void Write(string path, string key, NpyArray array, bool compressed = true) =>
        Write(path, [new KeyValuePair<string, NpyArray>(key, array)], compressed);

    /// <summary>Reads through <paramref name="inner"/> and keeps the CRC-32 of everything read.</summary>
    sealed class Crc32Stream(Stream inner) : Stream
    {
        readonly System.IO.Hashing.Crc32 _crc = new();

        public uint Crc => _crc.GetCurrentHashAsUInt32();

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            int n = inner.Read(buffer);
            _crc.Append(buffer[..n]);
            return n;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }
}

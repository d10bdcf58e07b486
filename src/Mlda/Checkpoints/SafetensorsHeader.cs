using System.Buffers.Binary;
using System.Text.Json;
using Mlda.Core;

namespace Mlda.Checkpoints;

/// <summary>
/// The tensor table of a safetensors file (8-byte little-endian header length, then a JSON object of
/// name → dtype, shape, data_offsets). Read before loading so that a wrong file is reported by name.
/// </summary>
public sealed record SafetensorsHeader(IReadOnlyDictionary<string, (string DType, long[] Shape)> Tensors)
{
    public static SafetensorsHeader Read(string path)
    {
        if (!File.Exists(path)) throw new InputException(path, "missing");
        using var stream = File.OpenRead(path);
        var lengthBytes = new byte[8];
        if (stream.Read(lengthBytes) != 8) throw new InputException(path, "truncated: no safetensors header");
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        if (headerLength > (ulong)(stream.Length - 8)) throw new InputException(path, "truncated or not a safetensors file (header length beyond the end)");
        var header = new byte[headerLength];
        stream.ReadExactly(header);
        var dataLength = stream.Length - 8 - (long)headerLength;
        var tensors = new Dictionary<string, (string, long[])>();
        try
        {
            using var doc = JsonDocument.Parse(header);
            foreach (var entry in doc.RootElement.EnumerateObject())
            {
                if (entry.Name == "__metadata__") continue;
                var dtype = entry.Value.GetProperty("dtype").GetString() ?? "";
                var shape = entry.Value.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray();
                var offsets = entry.Value.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()).ToArray();
                if (offsets.Length != 2 || offsets[1] > dataLength || offsets[0] > offsets[1])
                    throw new InputException(path, $"truncated: tensor {entry.Name} lies beyond the end of the file");
                tensors[entry.Name] = (dtype, shape);
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException or FormatException)
        {
            throw new InputException(path, $"not a safetensors file: {e.Message}", inner: e);
        }
        return new SafetensorsHeader(tensors);
    }
}

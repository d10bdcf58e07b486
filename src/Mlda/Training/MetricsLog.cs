using System.Text.Json;
using Mlda.Interop;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Mlda.Training;

/// <summary>
/// The run's records: a JSONL file (<c>metrics.jsonl</c>, one object per line, appended, flushed each write, so a
/// crash loses nothing written) and TensorBoard event files (<c>tensorboard/train</c>, <c>tensorboard/val</c>).
/// </summary>
public sealed class MetricsLog : IDisposable
{
    readonly StreamWriter _jsonl;
    readonly SummaryWriter? _train, _val;

    public string JsonlPath { get; }

    public MetricsLog(string runDir, bool tensorBoard = true)
    {
        Directory.CreateDirectory(runDir);
        JsonlPath = Path.Combine(runDir, "metrics.jsonl");
        _jsonl = new StreamWriter(new FileStream(JsonlPath, FileMode.Append, FileAccess.Write, FileShare.Read)) { AutoFlush = true };
        if (tensorBoard)
        {
            _train = torch.utils.tensorboard.SummaryWriter(Path.Combine(runDir, "tensorboard", "train"));
            _val = torch.utils.tensorboard.SummaryWriter(Path.Combine(runDir, "tensorboard", "val"));
        }
    }

    public void Write(string kind, long step, IReadOnlyDictionary<string, double> values, int? epoch = null)
    {
        var record = new Dictionary<string, object> { ["kind"] = kind, ["time"] = DateTime.UtcNow.ToString("O"), ["step"] = step };
        if (epoch is not null) record["epoch"] = epoch.Value;
        foreach (var (k, v) in values) record[k] = double.IsFinite(v) ? v : v.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _jsonl.WriteLine(JsonSerializer.Serialize(record));
        var writer = kind == "val" ? _val : _train;
        if (writer is null) return;
        foreach (var (k, v) in values)
            if (double.IsFinite(v)) writer.add_scalar(k, (float)v, (int)step);
    }

    public void Message(string kind, long step, string text)
    {
        _jsonl.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["kind"] = kind, ["time"] = DateTime.UtcNow.ToString("O"), ["step"] = step, ["message"] = text,
        }));
    }

    /// <summary>A disparity map [1, H, W] (min–max normalised here) as a grey TensorBoard image.</summary>
    public void Image(string kind, string tag, Tensor disparity, long step)
    {
        var writer = kind == "val" ? _val : _train;
        if (writer is null) return;
        using var noGc = new NoGcRegion(); // TorchSharp temporaries must outlive their native calls
        using var scope = NewDisposeScope();
        var d = disparity.detach().to(CPU).to(float32);
        d = (d - d.min()) / (d.max() - d.min() + 1e-8);
        writer.add_img(tag, d.expand(3, -1, -1).contiguous(), (int)step);
    }

    public void Dispose()
    {
        _jsonl.Dispose();
    }
}

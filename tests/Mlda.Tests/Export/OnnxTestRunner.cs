using Microsoft.ML.OnnxRuntime;
using Mlda.Export;
using static TorchSharp.torch;

namespace Mlda.Tests.Export;

/// <summary>Runs a graph written with <see cref="OnnxGraph"/> in ONNX Runtime on a TorchSharp tensor.</summary>
static class OnnxTestRunner
{
    public static Tensor Run(OnnxGraph graph, Tensor input, string inputName = "x", string outputName = "y")
    {
        using var options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        using var session = new InferenceSession(graph.ToBytes("test"), options);
        var data = input.contiguous().to(ScalarType.Float32).data<float>().ToArray();
        using var value = OrtValue.CreateTensorValueFromMemory(data, input.shape);
        using var run = new RunOptions();
        using var outputs = session.Run(run, [inputName], [value], [outputName]);
        var shape = outputs[0].GetTensorTypeAndShape().Shape;
        return tensor(outputs[0].GetTensorDataAsSpan<float>().ToArray()).reshape(shape);
    }

    public static double MaxAbsDiff(Tensor a, Tensor b)
    {
        Assert.Equal(a.shape, b.shape);
        return (a - b).abs().max().item<float>();
    }
}

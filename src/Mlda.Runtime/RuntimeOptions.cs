namespace Mlda.Runtime;

/// <summary>
/// ONNX Runtime session settings. <see cref="IntraOpThreads"/> 0 lets ONNX Runtime use one thread per physical
/// core; inter-op parallelism is off by default because the graph is one chain of large operators.
/// </summary>
public sealed record RuntimeOptions(int IntraOpThreads = 0, int InterOpThreads = 1, bool ParallelExecution = false, bool EnableMemoryPattern = true);

namespace Mlda.Runtime;

/// <summary>
/// ONNX Runtime session settings. <see cref="IntraOpThreads"/> 0 lets ONNX Runtime use one thread per physical
/// core; inter-op parallelism is off by default because the graph is one chain of large operators.
/// <see cref="OptimizedModelPath"/> saves the graph as ONNX Runtime rewrote it (to check which kernels an int8 model fused into);
/// <see cref="ProfilePrefix"/> turns on ONNX Runtime's per-operator profiler (<see cref="OperatorProfile"/> reads its trace).
/// </summary>
public sealed record RuntimeOptions(int IntraOpThreads = 0, int InterOpThreads = 1, bool ParallelExecution = false, bool EnableMemoryPattern = true,
                                    string? OptimizedModelPath = null, string? ProfilePrefix = null);

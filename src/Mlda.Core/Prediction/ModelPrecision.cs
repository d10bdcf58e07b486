namespace Mlda.Core.Prediction;

/// <summary>Which graph of an exported folder runs: the float32 <c>mlda.onnx</c> or the calibrated QDQ <c>mlda.int8.onnx</c>.</summary>
public enum ModelPrecision { Fp32, Int8 }

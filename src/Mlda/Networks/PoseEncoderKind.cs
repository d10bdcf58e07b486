using System.Text.Json.Serialization;

namespace Mlda.Networks;

/// <summary>Which encoder feeds the pose decoder.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PoseEncoderKind>))]
public enum PoseEncoderKind
{
    /// <summary>The reference: the full MLDA encoder class with 6 input channels (33.8 M parameters).</summary>
    Mlda,

    /// <summary>monodepth2's pose encoder: a plain ResNet-18 with a 6-channel first convolution (11.2 M), for CPU budgets.</summary>
    Light,
}

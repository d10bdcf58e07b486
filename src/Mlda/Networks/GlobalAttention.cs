using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Mlda.Networks;

/// <summary>
/// The GA module (reference <c>Attention_net</c>): channel attention with a CxC affinity.
/// K, Q, V are 3x3 convolutions without bias; S = Q·Vᵀ over all positions, A = softmax(S) row-wise (no 1/√d
/// scaling), O = Aᵀ·K (note the transpose: the reference computes Kᵀ·A and transposes it), Y = conv1x1(X + O).
/// Field names K, Q, V, local_weight are the reference's state-dict names.
/// </summary>
public sealed class GlobalAttention : Module<Tensor, Tensor>
{
    public readonly Conv2d K;
    public readonly Conv2d Q;
    public readonly Conv2d V;
    public readonly Conv2d local_weight;

    public long Channels { get; }

    public GlobalAttention(string name, long channels) : base(name)
    {
        Channels = channels;
        K = Conv2d(channels, channels, 3, stride: 1, padding: 1, bias: false);
        Q = Conv2d(channels, channels, 3, stride: 1, padding: 1, bias: false);
        V = Conv2d(channels, channels, 3, stride: 1, padding: 1, bias: false);
        local_weight = Conv2d(channels, channels, 1, bias: false);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var (b, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3]);
        var k = K.call(x).reshape(b, c, h * w);
        var q = Q.call(x).reshape(b, c, h * w);
        var v = V.call(x).reshape(b, c, h * w);
        var attention = bmm(q, v.transpose(1, 2)).softmax(-1);   // [B,C,C]
        var o = bmm(attention.transpose(1, 2), k).reshape(b, c, h, w);
        return local_weight.call(x + o).MoveToOuterDisposeScope();
    }
}

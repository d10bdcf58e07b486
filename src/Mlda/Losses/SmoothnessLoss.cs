using static TorchSharp.torch;

namespace Mlda.Losses;

/// <summary>
/// Edge-aware smoothness of the mean-normalised disparity (<c>layers.py</c> <c>get_smooth_loss</c>):
/// mean|∂x d̃|·e^{−|∂x I|} + mean|∂y d̃|·e^{−|∂y I|}, with d̃ = d / (mean(d) + 1e-7) per image and the image
/// gradient averaged over channels.
/// </summary>
public static class SmoothnessLoss
{
    public static Tensor Compute(Tensor disparity, Tensor image)
    {
        var normalised = disparity / (disparity.mean([2, 3], keepdim: true) + 1e-7);
        long h = normalised.shape[2], w = normalised.shape[3];
        var dispX = (normalised.narrow(3, 0, w - 1) - normalised.narrow(3, 1, w - 1)).abs();
        var dispY = (normalised.narrow(2, 0, h - 1) - normalised.narrow(2, 1, h - 1)).abs();
        var imgX = (image.narrow(3, 0, w - 1) - image.narrow(3, 1, w - 1)).abs().mean([1], keepdim: true);
        var imgY = (image.narrow(2, 0, h - 1) - image.narrow(2, 1, h - 1)).abs().mean([1], keepdim: true);
        return (dispX * (-imgX).exp()).mean() + (dispY * (-imgY).exp()).mean();
    }
}

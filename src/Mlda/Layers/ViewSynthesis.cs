using TorchSharp;
using static TorchSharp.torch;

namespace Mlda.Layers;

/// <summary>
/// Warps a source view into the target camera from the target's depth (reference <c>generate_images_pred</c>,
/// <c>trainer.py</c>): back-project with K⁻¹, transform with T (target → source), project with K, then bilinear
/// <c>grid_sample</c> with border padding and align_corners = true (Paddle's default, consistent with the W−1
/// normalisation of <see cref="Project3D"/>).
/// </summary>
public sealed class ViewSynthesis : nn.Module<Tensor, Tensor, Tensor, Tensor, Tensor, Tensor>
{
    readonly BackprojectDepth backproject;
    readonly Project3D project;

    public ViewSynthesis(int height, int width) : base(nameof(ViewSynthesis))
    {
        backproject = new BackprojectDepth(height, width);
        project = new Project3D(height, width);
        RegisterComponents();
    }

    /// <param name="source">[B, C, H, W] the image to sample</param>
    /// <param name="depth">[B, 1, H, W] the target's depth</param>
    /// <param name="k">[B, 4, 4]</param>
    /// <param name="invK">[B, 4, 4]</param>
    /// <param name="t">[B, 4, 4] target → source</param>
    public override Tensor forward(Tensor source, Tensor depth, Tensor k, Tensor invK, Tensor t)
    {
        var points = backproject.forward(depth, invK);
        var grid = project.forward(points, k, t);
        return nn.functional.grid_sample(source, grid, GridSampleMode.Bilinear, GridSamplePaddingMode.Border, align_corners: true);
    }
}

using Mlda.Core.Imaging;

namespace Mlda.Core.Prediction;

/// <summary>
/// One image's result at the input image's size: <see cref="Disparity"/> is the network's sigmoid output
/// (post-processed, resized), <see cref="ScaledDisparity"/> its <c>disp_to_depth</c> disparity (1/depth in
/// training units, what monodepth2 saves as <c>_disp.npy</c>), <see cref="Depth"/> the depth, in metres when
/// <see cref="DepthScaling.IsMetric"/>.
/// </summary>
public sealed record DepthPrediction(FloatMap Disparity, FloatMap ScaledDisparity, FloatMap Depth, DepthScaling Scaling);

using Mlda.Core.Scenes;
using Mlda.Core.Synthetic;
using Mlda.Layers;
using Mlda.Scenes;
using Mlda.Training;
using static TorchSharp.torch;

namespace Mlda.Tests.Scenes;

/// <summary>
/// The mode-M geometry end to end on a scene folder made by <c>mlda synth</c> (another camera than KITTI's): with the
/// drive's exact depth and exact motion, the warp of <c>generate_images_pred</c> must carry each temporal neighbour
/// onto the target better than the same motion scaled or inverted, and far better than no warp. This pins frame order,
/// the direction of the target-to-source transform, and the intrinsics a scene item carries (cam.txt, normalised and
/// rescaled), before any network is involved.
/// </summary>
public class TemporalWarpTests
{
    [Fact]
    public void True_depth_and_true_motion_warp_the_neighbours_onto_the_target()
    {
        using var dir = new TempDir();
        SceneFixtures.SyntheticScenes(dir["kitti"], dir["scenes"], SceneDepthFormat.Npy);
        var items = SceneItems.Open(dir["scenes"], SceneLayout.TrainSplit);
        var o = SceneFixtures.Synthetic;
        int h = o.Height, w = o.Width;   // the network size is the image size: no resampling of the depth
        var data = new SceneDataset(items, new DatasetOptions(h, w, UseStereo: false), isTrain: false);
        using var warp = new ViewSynthesis(h, w);
        var poses = new SyntheticDrive(o, 1).Poses;
        Assert.NotEmpty(items.Items);
        for (int i = 0; i < items.Items.Count; i++)
        {
            using var scope = NewDisposeScope();
            var item = items.Items[i];
            Assert.Equal("2024_06_01_drive_0001_sync", items.Scenes[item.Scene].Name);
            using var batch = TrainingBatch.Collate([data.Get(i, new Random(0))], h, w);
            var gt = items.Scenes[item.Scene].ReadDepth(item.Frame)!;
            var depth = tensor(gt.Values.Select(d => d > 0 ? d : 1000f).ToArray(), [1, 1, h, w]);   // sky: far away
            for (int s = 0; s < data.SourceFrames.Count; s++)
            {
                int offset = data.SourceFrames[s].Offset;
                double Error(float[] t, double scale = 1)
                {
                    var m = (float[])t.Clone();
                    for (int r = 0; r < 3; r++) m[4 * r + 3] *= (float)scale;
                    using var warped = warp.forward(batch.Sources[s], depth, batch.K, batch.InvK, tensor(m, [1, 4, 4]));
                    return Central(warped - batch.Target);
                }
                var truth = TargetToSource(poses[item.Frame], poses[item.Frame + offset]);
                double identity = Central(batch.Sources[s] - batch.Target);
                double exact = Error(truth), shorter = Error(truth, 0.7), longer = Error(truth, 1.4);
                double inverted = Error(TargetToSource(poses[item.Frame + offset], poses[item.Frame]));
                var seen = $"frame {item.Frame} source {offset:+0;-0}: identity {identity:F4}, exact {exact:F4}, x0.7 {shorter:F4}, x1.4 {longer:F4}, inverted {inverted:F4}";
                Console.WriteLine(seen);
                Assert.True(exact < shorter && exact < longer && exact < inverted, seen);
                Assert.True(exact < 0.6 * identity, seen);
            }
        }
    }

    /// <summary>
    /// Mean absolute difference over the central 60 % of rows and columns: moving forward, the target's border pixels
    /// leave the next frame's view (the warp clamps them to its border), so only the centre is comparable.
    /// </summary>
    static double Central(Tensor difference)
    {
        long h = difference.shape[2], w = difference.shape[3];
        using var centre = difference[.., .., (int)(0.2 * h)..(int)(0.8 * h), (int)(0.2 * w)..(int)(0.8 * w)];
        return centre.abs().mean().item<float>();
    }

    /// <summary>
    /// The transform from camera 2 at <paramref name="target"/> to camera 2 at <paramref name="source"/> (camera axes x
    /// right, y down, z forward), worked out here from the vehicle poses, independently of the synthesiser's renderer.
    /// </summary>
    static float[] TargetToSource(VehiclePose target, VehiclePose source)
    {
        // rows: the camera's right, down and forward axes in the world (x east, y north, z up)
        static double[][] Axes(VehiclePose p) => [[Math.Sin(p.Heading), -Math.Cos(p.Heading), 0], [0, 0, -1], [Math.Cos(p.Heading), Math.Sin(p.Heading), 0]];
        static double[] Centre(VehiclePose p)
        {
            double right = SyntheticRig.CameraOffsets[2];
            return [p.X + right * Math.Sin(p.Heading), p.Y - right * Math.Cos(p.Heading), SyntheticRig.CameraHeight];
        }
        var (rt, rs, ct, cs) = (Axes(target), Axes(source), Centre(target), Centre(source));
        var m = new float[16];
        for (int a = 0; a < 3; a++)
        {
            for (int b = 0; b < 3; b++) m[4 * a + b] = (float)Enumerable.Range(0, 3).Sum(k => rs[a][k] * rt[b][k]);
            m[4 * a + 3] = (float)Enumerable.Range(0, 3).Sum(k => rs[a][k] * (ct[k] - cs[k]));
        }
        m[15] = 1;
        return m;
    }
}

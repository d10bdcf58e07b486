using Mlda.Core.Kitti;
using Mlda.Tests.Synthetic;
using Mlda.Training;

namespace Mlda.Tests.Training;

public class ValidationGroundTruthTests(SyntheticDataFixture data) : IClassFixture<SyntheticDataFixture>
{
    [Fact]
    public void Validation_ground_truth_is_camera_depth_resized_as_skimage_order_0_and_eigen_keeps_the_velodyne_map()
    {
        // A synthetic drive at 256x80, so that the resize to the metric's 375x1242 is not the identity.
        var folder = Path.GetRelativePath(data.Root, Directory.GetDirectories(data.DateDir, "*_sync").Order().First()).Replace('\\', '/');
        var entries = new[] { new SplitEntry(folder, 2, 'l', 1), new SplitEntry(folder, 2, 'r', 2) };
        var set = new KittiRawDataset(data.Root, entries, new DatasetOptions(64, 128, LoadGroundTruth: true), isTrain: false);
        var calib = CameraCalibration.Load(data.DateDir);
        var scan = VelodyneScan.Read(KittiRawLayout.VelodynePath(data.Root, folder, 2));
        for (int i = 0; i < 2; i++)
        {
            var item = set.Get(i, new Random(0));
            int camera = entries[i].Camera;
            var cameraDepth = LidarGroundTruth.Generate(calib, scan, camera, velodyneDepth: false);
            Assert.Equal((80, 256), (cameraDepth.Height, cameraDepth.Width));
            // skimage.transform.resize(order=0, mode='constant'): source (f·(o + 0.5) − 0.5) rounded half away from zero.
            var expected = new float[375 * 1242];
            for (int r = 0; r < 375; r++)
            {
                int sr = (int)Math.Round(80.0 / 375 * (r + 0.5) - 0.5, MidpointRounding.AwayFromZero);
                for (int c = 0; c < 1242; c++)
                {
                    int sc = (int)Math.Round(256.0 / 1242 * (c + 0.5) - 0.5, MidpointRounding.AwayFromZero);
                    expected[r * 1242 + c] = cameraDepth[sr, sc];
                }
            }
            Assert.Equal(expected, item.ValidationGroundTruth!.Values);
            Assert.Equal(LidarGroundTruth.Generate(calib, scan, camera, velodyneDepth: true).Values, item.GroundTruth!.Values);
            Assert.NotEqual(cameraDepth.Values, item.GroundTruth.Values);
        }
    }
}

// Test classes run one after another: most tests drive TorchSharp or OpenCV, which already use every core, and
// TorchSharp's global random state must not be shared between tests that seed it.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

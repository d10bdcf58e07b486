using Mlda.Core;
using Mlda.Runtime;

namespace Mlda.Tests.Runtime;

public class OperatorProfileTests
{
    [Fact]
    public void Kernel_times_are_summed_by_operator_type_per_run()
    {
        using var dir = new TempDir();
        var trace = dir["trace.json"];
        File.WriteAllText(trace, """
            [
              {"cat":"Session","name":"model_run","dur":9000,"args":{}},
              {"cat":"Node","name":"conv1_fence_before","dur":0,"args":{"op_name":"Conv"}},
              {"cat":"Node","name":"conv1_kernel_time","dur":3000,"args":{"op_name":"Conv"}},
              {"cat":"Node","name":"conv2_kernel_time","dur":1000,"args":{"op_name":"Conv"}},
              {"cat":"Node","name":"sm_kernel_time","dur":500,"args":{"op_name":"Softmax"}},
              {"cat":"Node","name":"conv1_kernel_time","dur":2000,"args":{"op_name":"Conv"}},
              {"cat":"Node","name":"conv2_kernel_time","dur":2000,"args":{"op_name":"Conv"}},
              {"cat":"Node","name":"sm_kernel_time","dur":1500,"args":{"op_name":"Softmax"}}
            ]
            """);
        var p = OperatorProfile.Summarise(trace, runs: 2);
        Assert.Equal(["Conv", "Softmax"], p.Select(t => t.OpType));
        Assert.Equal(4.0, p[0].MillisecondsPerRun, 9);
        Assert.Equal(2.0, p[0].NodesPerRun, 9);
        Assert.Equal(1.0, p[1].MillisecondsPerRun, 9);
    }

    [Fact]
    public void A_file_that_is_not_a_trace_names_itself()
    {
        using var dir = new TempDir();
        var trace = dir["trace.json"];
        File.WriteAllText(trace, "{ not json");
        var e = Assert.Throws<InputException>(() => OperatorProfile.Summarise(trace, 1));
        Assert.Contains("trace.json", e.Message);
    }
}

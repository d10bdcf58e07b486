using System.Reflection;

namespace Mlda.Tests;

/// <summary>What an assembly references, following our own (Mlda*) assemblies down: the layering tests read it.</summary>
static class AssemblyReferences
{
    public static HashSet<string> Transitive(Assembly root)
    {
        var seen = new HashSet<string>();
        var queue = new Queue<Assembly>([root]);
        while (queue.Count > 0)
            foreach (var name in queue.Dequeue().GetReferencedAssemblies())
                if (seen.Add(name.Name!) && name.Name!.StartsWith("Mlda", StringComparison.Ordinal))
                    queue.Enqueue(Assembly.Load(name));
        return seen;
    }
}

using System.Text.Json;

namespace Mlda.Server;

/// <summary>The JSON spelling of every answer (camelCase, as <c>model.json</c>).</summary>
public static class ServerJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}

/// <summary>Every refused request's body: what was wrong, and the status it got.</summary>
public sealed record ApiError(string Error, int Status);

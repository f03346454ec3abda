using System.Text.Json.Nodes;

namespace Platform.Tests.Fuzz;

/// <summary>A parameter of an operation as the API document describes it (in path or query).</summary>
public sealed record ApiParameter(string Name, string In, bool Required, JsonObject Schema);

/// <summary>One operation of the gateway's merged API document, with what a request to it needs.</summary>
public sealed record ApiOperation(
    string Method,
    string PathTemplate,
    string Id,
    bool Anonymous,
    IReadOnlyList<string> Roles,
    IReadOnlyList<ApiParameter> Parameters,
    string? BodyContentType,
    JsonObject? BodySchema)
{
    public override string ToString() => $"{Method.ToUpperInvariant()} {PathTemplate}";

    /// <summary>Every operation of the document, with <c>$ref</c>s left for <see cref="SchemaValues"/> to resolve.</summary>
    public static IReadOnlyList<ApiOperation> AllIn(JsonObject document)
    {
        var operations = new List<ApiOperation>();
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            var shared = item?["parameters"] as JsonArray ?? [];
            foreach (var (method, node) in item!.AsObject())
            {
                if (node is not JsonObject operation || method is "parameters" or "summary" or "description" or "servers")
                {
                    continue;
                }
                var parameters = shared.Concat(operation["parameters"] as JsonArray ?? [])
                    .OfType<JsonObject>()
                    .Select(p => Resolve(document, p))
                    .Where(p => p["in"]?.GetValue<string>() is "path" or "query")
                    .Select(p => new ApiParameter(
                        p["name"]!.GetValue<string>(),
                        p["in"]!.GetValue<string>(),
                        p["required"]?.GetValue<bool>() ?? false,
                        p["schema"] as JsonObject ?? []))
                    .ToList();
                var (contentType, schema) = Body(document, operation);
                // The merger writes an empty requirement list for routes the gateway serves without a token.
                var anonymous = operation["security"] is JsonArray { Count: 0 };
                // The roles that may call it, as each service writes them (RolesInApiDocument); none: any signed-in caller.
                var roles = (operation["x-roles"] as JsonArray ?? []).Select(r => r!.GetValue<string>()).ToList();
                operations.Add(new ApiOperation(method, path, operation["operationId"]?.GetValue<string>() ?? $"{method} {path}",
                    anonymous, roles, parameters, contentType, schema));
            }
        }
        return operations;
    }

    private static (string? ContentType, JsonObject? Schema) Body(JsonObject document, JsonObject operation)
    {
        if (operation["requestBody"] is not JsonObject body || Resolve(document, body)["content"] is not JsonObject content || content.Count == 0)
        {
            return (null, null);
        }
        // JSON where offered (what app teams send); otherwise the first kind the operation declares.
        var chosen = content.FirstOrDefault(c => c.Key.Contains("json", StringComparison.Ordinal));
        if (chosen.Key is null)
        {
            chosen = content.First();
        }
        return (chosen.Key, chosen.Value?["schema"] as JsonObject ?? []);
    }

    internal static JsonObject Resolve(JsonObject document, JsonObject node)
    {
        for (var depth = 0; depth < 10 && node["$ref"]?.GetValue<string>() is { } reference; depth++)
        {
            JsonNode? target = document;
            foreach (var part in reference.TrimStart('#').Split('/', StringSplitOptions.RemoveEmptyEntries))
            {
                target = target?[part.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)];
            }
            if (target is not JsonObject resolved)
            {
                return node;
            }
            node = resolved;
        }
        return node;
    }
}

using System.Globalization;
using System.Text.Json.Nodes;

namespace Platform.Tests.Fuzz;

/// <summary>
/// Values that fit a schema of the API document closely enough to get past the reader (a plausible request), so the
/// fuzz cases can spoil one thing at a time.
/// </summary>
public sealed class SchemaValues(JsonObject document)
{
    private const int MaxDepth = 6;

    public JsonObject Resolve(JsonObject schema) => ApiOperation.Resolve(document, schema);

    /// <summary>The JSON kinds a schema allows ("string", "integer", "number", "boolean", "object", "array", "null").</summary>
    public IReadOnlySet<string> Kinds(JsonObject schema)
    {
        schema = Resolve(schema);
        var kinds = new HashSet<string>(StringComparer.Ordinal);
        switch (schema["type"])
        {
            case JsonValue single:
                kinds.Add(single.GetValue<string>());
                break;
            case JsonArray many:
                kinds.UnionWith(many.Select(k => k!.GetValue<string>()));
                break;
        }
        foreach (var alternative in new[] { "oneOf", "anyOf", "allOf" }.SelectMany(k => schema[k] as JsonArray ?? []).OfType<JsonObject>())
        {
            kinds.UnionWith(Kinds(alternative));
        }
        if (kinds.Count == 0 && schema["properties"] is JsonObject)
        {
            kinds.Add("object");
        }
        if (kinds.Contains("integer"))
        {
            kinds.Add("number"); // 1.0 is an integer to JSON Schema
        }
        return kinds;
    }

    /// <summary>The properties of an object schema (allOf merged), each with whether it is required.</summary>
    public IReadOnlyList<(string Name, JsonObject Schema, bool Required)> Properties(JsonObject schema)
    {
        schema = Resolve(schema);
        var required = (schema["required"] as JsonArray ?? []).Select(r => r!.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
        var own = (schema["properties"] as JsonObject ?? [])
            .Select(p => (p.Key, p.Value as JsonObject ?? [], required.Contains(p.Key)));
        var inherited = (schema["allOf"] as JsonArray ?? []).OfType<JsonObject>().SelectMany(Properties);
        return own.Concat(inherited).DistinctBy(p => p.Item1).ToList();
    }

    public JsonNode? Plausible(JsonObject schema, int depth = 0)
    {
        schema = Resolve(schema);
        if (schema["enum"] is JsonArray { Count: > 0 } choices)
        {
            return choices.FirstOrDefault(c => c is not null)?.DeepClone();
        }
        if (schema["default"] is { } fallback && fallback.GetValueKind() != System.Text.Json.JsonValueKind.Null)
        {
            return fallback.DeepClone();
        }
        var alternative = new[] { "oneOf", "anyOf" }.SelectMany(k => schema[k] as JsonArray ?? []).OfType<JsonObject>()
            .FirstOrDefault(a => !Kinds(a).SequenceEqual(["null"]));
        if (alternative is not null)
        {
            return Plausible(alternative, depth + 1);
        }
        var kinds = Kinds(schema);
        if (kinds.Contains("object") && depth < MaxDepth)
        {
            var value = new JsonObject();
            foreach (var (name, property, _) in Properties(schema))
            {
                value[name] = Plausible(property, depth + 1);
            }
            return value;
        }
        if (kinds.Contains("array"))
        {
            var items = schema["items"] as JsonObject;
            return depth < MaxDepth && items is not null ? new JsonArray(Plausible(items, depth + 1)) : new JsonArray();
        }
        if (kinds.Contains("string"))
        {
            return PlausibleText(schema);
        }
        if (kinds.Contains("integer") || kinds.Contains("number"))
        {
            var minimum = schema["minimum"]?.GetValue<double>() ?? schema["exclusiveMinimum"]?.GetValue<double>() + 1 ?? 1;
            return kinds.Contains("integer") ? JsonValue.Create((long)Math.Max(1, minimum)) : JsonValue.Create(Math.Max(1, minimum));
        }
        return kinds.Contains("boolean") ? JsonValue.Create(true) : null;
    }

    /// <summary>A plausible value as it goes into a path segment or a query string (unescaped).</summary>
    public string PlausibleInUrl(JsonObject schema) => Plausible(schema) switch
    {
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        JsonValue value when value.TryGetValue<bool>(out var flag) => flag ? "true" : "false",
        JsonValue value => value.ToJsonString(),
        _ => "1",
    };

    private static string PlausibleText(JsonObject schema)
    {
        var text = schema["format"]?.GetValue<string>() switch
        {
            "uuid" => Guid.NewGuid().ToString(),
            "date-time" => DateTimeOffset.UtcNow.AddHours(1).ToString("O", CultureInfo.InvariantCulture),
            "date" => DateTime.UtcNow.AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            "time" => "09:00:00",
            "email" => "fuzz@example.org",
            "uri" => "https://example.org/fuzz",
            "int32" or "int64" => "1",
            _ => "fuzz",
        };
        var minLength = schema["minLength"]?.GetValue<int>() ?? 0;
        return text.Length < minLength ? text.PadRight(minLength, 'z') : text;
    }
}

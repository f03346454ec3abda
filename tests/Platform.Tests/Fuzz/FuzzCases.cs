using System.Text;
using System.Text.Json.Nodes;

namespace Platform.Tests.Fuzz;

/// <summary>What a fuzz request may be answered with.</summary>
public enum Expectation
{
    /// <summary>Anything but a server error: the input may have been valid after all.</summary>
    NoServerError,
    /// <summary>A problem-details 4xx: the input cannot be valid (control characters, unreadable JSON, wrong kinds).</summary>
    Refused,
    /// <summary>401 as a problem: a token-only operation called without a token.</summary>
    Unauthorized,
}

/// <summary>One request of the fuzz run.</summary>
public sealed record FuzzCase(ApiOperation Operation, string Kind, string PathAndQuery, string? ContentType, byte[]? Body, bool WithToken, Expectation Expect)
{
    public override string ToString() => $"{Operation.Method.ToUpperInvariant()} {PathAndQuery} [{Kind}{(WithToken ? "" : ", no token")}]";
}

/// <summary>
/// The malformed requests for every operation: bad route and query values, unreadable and wrongly shaped bodies, each
/// property missing, mistyped, out of range or carrying control characters, with and without a token.
/// </summary>
public static class FuzzCases
{
    // Already escaped for the URL. Each is tried in every route value and every query parameter.
    private static readonly (string Name, string Escaped, Expectation Expect)[] UrlValues =
    [
        ("NUL", "%00", Expectation.Refused),
        ("NUL inside text", "Guangyang%00district", Expectation.Refused),
        ("bell", "%07", Expectation.Refused),
        ("escape sequence", "%1B%5B31m", Expectation.Refused),
        ("DEL", "a%7F", Expectation.Refused),
        ("negative", "-1", Expectation.NoServerError),
        ("huge number", "99999999999999999999999999", Expectation.NoServerError),
        ("not a number or id", "abc", Expectation.NoServerError),
        ("long text", new string('x', 3000), Expectation.NoServerError),
        ("invalid UTF-8", "%C3%28%FF", Expectation.NoServerError),
        ("quotes", "%27%22%3B--", Expectation.NoServerError),
        ("Chinese", "%E5%B9%BF%E9%98%B3%E5%8C%BA", Expectation.NoServerError),
    ];

    public static IEnumerable<FuzzCase> For(ApiOperation operation, SchemaValues values)
    {
        var route = operation.Parameters.Where(p => p.In == "path").ToDictionary(p => p.Name, p => Uri.EscapeDataString(values.PlausibleInUrl(p.Schema)));
        var query = operation.Parameters.Where(p => p.In == "query").ToList();
        var plausibleQuery = query.Where(q => q.Required).ToDictionary(q => q.Name, q => Uri.EscapeDataString(values.PlausibleInUrl(q.Schema)));
        var body = operation.BodySchema is null ? null : values.Plausible(operation.BodySchema);

        FuzzCase Case(string kind, Expectation expect, IReadOnlyDictionary<string, string>? routeValues = null,
            IReadOnlyDictionary<string, string>? queryValues = null, string? contentType = null, byte[]? content = null, bool withToken = true) =>
            new(operation, kind, Url(operation.PathTemplate, routeValues ?? route, queryValues ?? plausibleQuery),
                contentType ?? operation.BodyContentType, content ?? Encode(operation.BodyContentType, body), withToken, expect);

        yield return Case("plausible", Expectation.NoServerError);
        yield return Case("plausible", operation.Anonymous ? Expectation.NoServerError : Expectation.Unauthorized, withToken: false);

        foreach (var name in route.Keys)
        {
            foreach (var (kind, escaped, expect) in UrlValues)
            {
                yield return Case($"route {name}: {kind}", expect, routeValues: With(route, name, escaped));
            }
        }
        foreach (var parameter in query)
        {
            foreach (var (kind, escaped, expect) in UrlValues)
            {
                yield return Case($"query {parameter.Name}: {kind}", expect, queryValues: With(plausibleQuery, parameter.Name, escaped));
            }
        }
        // A parameter no operation declares: ignored or refused, but never a control character into storage.
        yield return Case("unknown query parameter", Expectation.NoServerError, queryValues: With(plausibleQuery, "fuzz", "1"));
        yield return Case("unknown query parameter with NUL", Expectation.Refused, queryValues: With(plausibleQuery, "fuzz", "%00"));

        if (operation.BodyContentType is null)
        {
            // An operation without a body given one anyway.
            yield return Case("unexpected body", Expectation.NoServerError, contentType: "application/json", content: "{\"fuzz\":\"\\u0000\"}"u8.ToArray());
            yield break;
        }
        foreach (var fuzzCase in BodyCases(operation, values, body, Case))
        {
            yield return fuzzCase;
        }
    }

    private delegate FuzzCase CaseFactory(string kind, Expectation expect, IReadOnlyDictionary<string, string>? routeValues = null,
        IReadOnlyDictionary<string, string>? queryValues = null, string? contentType = null, byte[]? content = null, bool withToken = true);

    private static IEnumerable<FuzzCase> BodyCases(ApiOperation operation, SchemaValues values, JsonNode? body, CaseFactory Case)
    {
        var json = operation.BodyContentType!.Contains("json", StringComparison.Ordinal);
        var form = operation.BodyContentType.StartsWith("application/x-www-form-urlencoded", StringComparison.Ordinal);
        yield return Case("empty body", Expectation.Refused, content: []);
        yield return Case("wrong content type", Expectation.NoServerError, contentType: "text/plain", content: "fuzz"u8.ToArray());
        yield return Case("unreadable body", Expectation.Refused, content: "{\"a\":"u8.ToArray());
        yield return Case("binary garbage", Expectation.NoServerError, content: [0, 0xFF, 0xFE, 0x00, 0x1B, 0x7F]);
        if (!json && !form)
        {
            yield break; // a photo upload and the like: the bytes above are all it reads
        }
        if (json)
        {
            yield return Case("JSON null", Expectation.Refused, content: "null"u8.ToArray());
            yield return Case("JSON array", Expectation.Refused, content: "[]"u8.ToArray());
            yield return Case("JSON text", Expectation.Refused, content: "\"\\u0000\""u8.ToArray());
            yield return Case("JSON number", Expectation.Refused, content: "-1e309"u8.ToArray());
            yield return Case("deeply nested", Expectation.Refused, content: Encoding.UTF8.GetBytes(new string('[', 500) + new string(']', 500)));
        }
        if (body is not JsonObject plausible)
        {
            yield break;
        }
        var contentType = operation.BodyContentType;
        yield return Case("empty object", Expectation.NoServerError, content: Encode(contentType, new JsonObject()));
        yield return Case("extra field", json ? Expectation.Refused : Expectation.NoServerError, content: Encode(contentType, With(plausible, "fuzzExtra", "x")));
        yield return Case("extra field with NUL", Expectation.Refused, content: Encode(contentType, With(plausible, "fuzzExtra", "a\u0000b")));

        foreach (var (name, schema, required) in values.Properties(operation.BodySchema!))
        {
            var kinds = values.Kinds(schema);
            var without = (JsonObject)plausible.DeepClone();
            without.Remove(name);
            yield return Case($"{name}: missing", Expectation.NoServerError, content: Encode(contentType, without));
            if (!json)
            {
                yield return Case($"{name}: NUL", Expectation.Refused, content: Encode(contentType, With(plausible, name, "a\u0000b")));
                yield return Case($"{name}: bell", Expectation.Refused, content: Encode(contentType, With(plausible, name, "\u0007")));
                yield return Case($"{name}: long", Expectation.NoServerError, content: Encode(contentType, With(plausible, name, new string('x', 20_000))));
                continue;
            }
            // Control characters and half a surrogate pair, written as JSON escapes so the bytes are valid JSON.
            yield return Case($"{name}: NUL", Expectation.Refused, content: Raw(plausible, name, "\"Guangyang\\u0000district\""));
            yield return Case($"{name}: escape", Expectation.Refused, content: Raw(plausible, name, "\"\\u001b[31m\""));
            yield return Case($"{name}: half a surrogate pair", Expectation.Refused, content: Raw(plausible, name, "\"\\ud800\""));
            yield return Case($"{name}: long text", Expectation.NoServerError, content: Raw(plausible, name, "\"" + new string('x', 20_000) + "\""));
            yield return Case($"{name}: null", Expectation.NoServerError, content: Raw(plausible, name, "null"));
            foreach (var (kind, literal, literalKind) in Mistyped)
            {
                var allowed = kinds.Count == 0 || kinds.Contains(literalKind) || (literalKind == "integer" && kinds.Contains("number"));
                yield return Case($"{name}: {kind}", allowed ? Expectation.NoServerError : Expectation.Refused, content: Raw(plausible, name, literal));
            }
        }
    }

    private static readonly (string Kind, string Literal, string JsonKind)[] Mistyped =
    [
        ("negative", "-1", "integer"),
        ("huge", "1e300", "number"),
        ("beyond long", "9223372036854775808", "integer"),
        ("fraction", "0.5", "number"),
        ("text", "\"fuzz\"", "string"),
        ("boolean", "true", "boolean"),
        ("object", "{\"a\":1}", "object"),
        ("array", "[1,\"x\"]", "array"),
    ];

    private static string Url(string template, IReadOnlyDictionary<string, string> route, IReadOnlyDictionary<string, string> query)
    {
        var path = new StringBuilder(template);
        foreach (var (name, value) in route)
        {
            path.Replace("{" + name + "}", value);
        }
        if (query.Count > 0)
        {
            path.Append('?').AppendJoin('&', query.Select(q => $"{Uri.EscapeDataString(q.Key)}={q.Value}"));
        }
        return path.ToString();
    }

    private static Dictionary<string, string> With(IReadOnlyDictionary<string, string> values, string name, string value) =>
        new(values) { [name] = value };

    private static JsonObject With(JsonObject body, string name, string value)
    {
        var copy = (JsonObject)body.DeepClone();
        copy[name] = value;
        return copy;
    }

    // The property's value replaced by raw JSON text (escapes a serializer would not write, such as half a surrogate pair).
    private static byte[] Raw(JsonObject body, string name, string literal)
    {
        const string marker = "\"__fuzz_value__\"";
        var copy = (JsonObject)body.DeepClone();
        copy[name] = "__fuzz_value__";
        return Encoding.UTF8.GetBytes(copy.ToJsonString().Replace(marker, literal, StringComparison.Ordinal));
    }

    private static byte[]? Encode(string? contentType, JsonNode? body)
    {
        if (contentType is null || body is null)
        {
            return null;
        }
        if (contentType.StartsWith("application/x-www-form-urlencoded", StringComparison.Ordinal) && body is JsonObject fields)
        {
            return Encoding.UTF8.GetBytes(string.Join('&', fields.Select(f =>
                $"{Uri.EscapeDataString(f.Key)}={Uri.EscapeDataString(f.Value is JsonValue v && v.TryGetValue<string>(out var s) ? s : f.Value?.ToJsonString() ?? "")}")));
        }
        return Encoding.UTF8.GetBytes(body.ToJsonString());
    }
}

using System.Net;
using System.Text.Json;
using Xunit;

namespace Platform.TestSupport;

/// <summary>Assertions on RFC 9457 problem details answers.</summary>
public static class ProblemAssert
{
    public const string ContentType = "application/problem+json";

    /// <summary>
    /// Asserts the status, the problem+json content type and a matching <c>status</c> member, and that
    /// <c>errors</c> names each of <paramref name="fields"/> (exactly, with at least one message). Returns the body.
    /// </summary>
    public static async Task<JsonElement> IsProblemAsync(HttpResponseMessage response, HttpStatusCode status, params string[] fields)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status} {status}, got {(int)response.StatusCode} {response.StatusCode}: {Shorten(body)}");
        Assert.True(response.Content.Headers.ContentType?.MediaType == ContentType,
            $"Expected content type {ContentType}, got '{response.Content.Headers.ContentType}': {Shorten(body)}");
        var problem = JsonDocument.Parse(body).RootElement.Clone();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()), "A problem has a title.");
        foreach (var field in fields)
        {
            Assert.True(
                problem.TryGetProperty("errors", out var errors)
                && errors.TryGetProperty(field, out var messages)
                && messages.ValueKind == JsonValueKind.Array
                && messages.GetArrayLength() > 0
                && messages.EnumerateArray().All(m => !string.IsNullOrWhiteSpace(m.GetString())),
                $"errors does not name '{field}': {Shorten(body)}");
        }
        return problem;
    }

    /// <summary>The names in <c>errors</c>, sorted.</summary>
    public static IReadOnlyList<string> ErrorFields(JsonElement problem) =>
        problem.TryGetProperty("errors", out var errors)
            ? [.. errors.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)]
            : [];

    private static string Shorten(string body) => body.Length > 2000 ? body[..2000] + "..." : body;
}

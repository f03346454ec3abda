using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Platform.TestSupport;

namespace Platform.Gateway.Tests;

/// <summary>The one API document app teams read, merged from the services' own documents, and the docs page.</summary>
public sealed partial class GatewayApiDocumentTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>, IDisposable
{
    private readonly HttpClient _client = fixture.Gateway.CreateSocketClient();

    public void Dispose() => _client.Dispose();

    private async Task<JsonElement> DocumentAsync()
    {
        var response = await _client.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task The_document_has_every_services_routes_under_their_gateway_paths()
    {
        var document = await DocumentAsync();
        var paths = document.GetProperty("paths");

        Assert.True(paths.TryGetProperty("/api/organizations/communities/{id}", out var community));
        Assert.True(paths.TryGetProperty("/api/organizations/communities", out var communities));
        Assert.True(communities.TryGetProperty("post", out _));
        Assert.True(paths.TryGetProperty("/api/stations/stations/nearby", out var nearby));
        Assert.True(paths.TryGetProperty("/api/stations/stations", out _));
        // Nothing under the services' own paths, and not the services' probes or catch-alls.
        Assert.DoesNotContain(paths.EnumerateObject(), p => !p.Name.StartsWith("/api/", StringComparison.Ordinal));
        Assert.Equal("organizations.GetCommunity", community.GetProperty("get").GetProperty("operationId").GetString());
        Assert.Equal("stations / Stations", nearby.GetProperty("get").GetProperty("tags")[0].GetString());
    }

    [Fact]
    public async Task Two_services_schemas_of_the_same_name_stay_apart_and_references_follow_them()
    {
        var document = await DocumentAsync();
        var schemas = document.GetProperty("components").GetProperty("schemas");

        var organizationsCommunity = schemas.GetProperty("organizations.Community");
        var stationsCommunity = schemas.GetProperty("stations.Community");
        Assert.True(organizationsCommunity.GetProperty("properties").TryGetProperty("name", out _));
        Assert.False(stationsCommunity.GetProperty("properties").TryGetProperty("name", out _));
        var json = document.GetRawText();
        var references = ReferencePattern().Matches(json).Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(references);
        Assert.All(references, r => Assert.True(schemas.TryGetProperty(r, out _), $"dangling reference {r}"));
        Assert.Contains("stations.Community", references);
    }

    [Fact]
    public async Task The_document_offers_the_platform_token_flows_and_marks_anonymous_operations()
    {
        var document = await DocumentAsync();

        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("oauth2");
        Assert.Equal("oauth2", scheme.GetProperty("type").GetString());
        Assert.Equal($"{TestTokens.Issuer}connect/token", scheme.GetProperty("flows").GetProperty("password").GetProperty("tokenUrl").GetString());
        Assert.Equal($"{TestTokens.Issuer}connect/token", scheme.GetProperty("flows").GetProperty("clientCredentials").GetProperty("tokenUrl").GetString());
        Assert.True(document.GetProperty("security")[0].TryGetProperty("oauth2", out _));
        var paths = document.GetProperty("paths");
        Assert.Equal(0, paths.GetProperty("/api/stations/stations/nearby").GetProperty("get").GetProperty("security").GetArrayLength());
        Assert.False(paths.GetProperty("/api/stations/stations").GetProperty("post").TryGetProperty("security", out _));
    }

    [Fact]
    public async Task Each_services_part_is_served_without_a_token_at_its_own_gateway_address()
    {
        using var response = await _client.GetAsync("/api/organizations/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = await response.Content.ReadFromJsonAsync<JsonElement>();
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/organizations/communities/{id}", paths);
        Assert.All(paths, p => Assert.StartsWith("/api/organizations/", p, StringComparison.Ordinal));
        // Signed-in operations say how to get a token, as in the merged document.
        Assert.True(document.GetProperty("components").GetProperty("securitySchemes").TryGetProperty("oauth2", out _));
    }

    [Fact]
    public async Task A_service_that_does_not_answer_has_no_document_yet_and_an_unknown_one_has_none()
    {
        using var down = await _client.GetAsync("/api/rights/openapi/v1.json");
        using var unknown = await _client.GetAsync("/api/nowhere/openapi/v1.json");

        await ProblemAssert.IsProblemAsync(down, HttpStatusCode.ServiceUnavailable);
        Assert.NotNull(down.Headers.RetryAfter);
        await ProblemAssert.IsProblemAsync(unknown, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_service_missing_from_the_document_at_first_fills_in_once_it_answers()
    {
        // As at the demo load: a service busy starting does not answer the first merge in time.
        await using var services = await FakeServices.StartAsync();
        services.DocumentsAnswer = false;
        await using var gateway = new GatewayFactory(services, new Dictionary<string, string> { ["Platform:ApiDocument:RetrySeconds"] = "0" });
        using var client = gateway.CreateSocketClient();
        var first = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        Assert.Contains("organizations", first.GetProperty("info").GetProperty("x-unavailable-services").EnumerateArray().Select(s => s.GetString()));

        services.DocumentsAnswer = true;

        var filled = await Eventually.Until(ct => client.GetFromJsonAsync<JsonElement>("/openapi/v1.json", ct),
            d => d.GetProperty("paths").TryGetProperty("/api/organizations/communities/{id}", out _), "organizations in the merged document");
        Assert.DoesNotContain("organizations", filled.GetProperty("info").GetProperty("x-unavailable-services").EnumerateArray().Select(s => s.GetString()));
    }

    [Fact]
    public async Task A_service_that_is_down_or_hung_is_named_as_missing_without_failing_the_document()
    {
        var document = await DocumentAsync();

        var missing = document.GetProperty("info").GetProperty("x-unavailable-services").EnumerateArray().Select(s => s.GetString()).ToList();
        Assert.Contains("rights", missing);
        Assert.Contains("training", missing);
        Assert.DoesNotContain("organizations", missing);
        Assert.Contains("rights", document.GetProperty("info").GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_docs_page_loads_with_a_content_policy_that_lets_its_scripts_run()
    {
        var response = await _client.GetAsync("/docs");
        if (response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.MovedPermanently)
        {
            response = await _client.GetAsync(response.Headers.Location);
        }

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("\"url\":\"openapi/v1.json\"", html, StringComparison.Ordinal);
        // "Try it" signs staff in with the public client identity actually has (a made-up client id fails the grant).
        Assert.Contains("\"password\":{\"x-scalar-client-id\":\"platform-app\"", html, StringComparison.Ordinal);
        var policy = response.Headers.GetValues("Content-Security-Policy").Single();
        var nonce = NoncePattern().Match(policy).Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(nonce), policy);
        // Every script on the page carries the nonce the policy names, so the browser runs it.
        var scripts = ScriptPattern().Matches(html);
        Assert.NotEmpty(scripts);
        Assert.All(scripts, s => Assert.Contains($"nonce=\"{nonce}\"", s.Value, StringComparison.Ordinal));
        Assert.Contains("connect-src 'self'", policy, StringComparison.Ordinal);
        // The page's own scripts are served by the gateway (the policy allows no other origin).
        foreach (Match source in ScriptSourcePattern().Matches(html))
        {
            var script = await _client.GetAsync($"/docs/{source.Groups[1].Value}");
            Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        }
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
    }

    [GeneratedRegex("\"\\$ref\":\"#/components/schemas/([^\"]+)\"")]
    private static partial Regex ReferencePattern();

    [GeneratedRegex("'nonce-([^']+)'")]
    private static partial Regex NoncePattern();

    [GeneratedRegex("<script[^>]* src=\"([^\"/:]+)\"")]
    private static partial Regex ScriptSourcePattern();

    [GeneratedRegex("<script[^>]*>")]
    private static partial Regex ScriptPattern();
}

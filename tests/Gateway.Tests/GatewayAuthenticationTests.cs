using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Platform.ServiceDefaults.Security;
using Platform.TestSupport;

namespace Platform.Gateway.Tests;

/// <summary>The gateway refuses what is not a valid platform access token before anything reaches a service.</summary>
public sealed class GatewayAuthenticationTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task A_protected_route_without_a_token_is_a_401_problem_and_reaches_no_service()
    {
        var marker = Guid.NewGuid().ToString("N");
        using var client = fixture.Gateway.CreateSocketClient();

        var response = await client.GetAsync($"/api/organizations/communities/{marker}");

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
        Assert.False(fixture.Services.Reached(marker));
    }

    [Theory]
    [MemberData(nameof(RefusedTokenCases))]
    public async Task A_protected_route_refuses_a_bad_token_with_a_401_problem(string @case)
    {
        var marker = Guid.NewGuid().ToString("N");
        using var client = fixture.Gateway.CreateSocketClient(RefusedTokens.Create(@case));

        var response = await client.GetAsync($"/api/organizations/communities/{marker}");

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.False(fixture.Services.Reached(marker), $"a {@case} token reached the service");
    }

    public static TheoryData<string> RefusedTokenCases() => RefusedTokens.Cases();

    [Fact]
    public async Task A_good_token_passes_and_is_forwarded_so_the_service_validates_it_too()
    {
        var token = TestTokens.ForWorker(Guid.NewGuid());
        using var client = fixture.Gateway.CreateSocketClient(token);
        var id = Guid.NewGuid();

        var response = await client.GetAsync($"/api/organizations/communities/{id}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var community = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(id, community.GetProperty("id").GetGuid());
        var marker = Guid.NewGuid().ToString("N");
        await client.GetAsync($"/api/organizations/echo/{marker}");
        Assert.Contains(fixture.Services.Seen, s => s.Path.Contains(marker, StringComparison.Ordinal) && s.Authorization == $"Bearer {token}");
    }

    [Fact]
    public async Task An_anonymous_endpoint_answers_without_a_token_but_only_for_its_method()
    {
        using var client = fixture.Gateway.CreateSocketClient();

        var search = await client.GetAsync("/api/stations/stations/nearby?latitude=39.5&longitude=116.7");
        Assert.Equal(HttpStatusCode.OK, search.StatusCode);
        Assert.Equal(JsonValueKind.Array, (await search.Content.ReadFromJsonAsync<JsonElement>()).ValueKind);

        // The same path with another method, and the neighbouring paths, still need a token.
        var post = await client.PostAsJsonAsync("/api/stations/stations/nearby", new { });
        await ProblemAssert.IsProblemAsync(post, HttpStatusCode.Unauthorized);
        var other = await client.GetAsync("/api/stations/stations/nearby/extra");
        await ProblemAssert.IsProblemAsync(other, HttpStatusCode.Unauthorized);
        var list = await client.GetAsync("/api/stations/stations");
        await ProblemAssert.IsProblemAsync(list, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Health_probes_and_the_api_description_need_no_token()
    {
        using var client = fixture.Gateway.CreateSocketClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/alive")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/openapi/v1.json")).StatusCode);
    }
}

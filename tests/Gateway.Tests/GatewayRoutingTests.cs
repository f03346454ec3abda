using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Platform.ServiceDefaults.Security;
using Platform.TestSupport;

namespace Platform.Gateway.Tests;

/// <summary>The real gateway (YARP with its configuration) in front of a real backend, a stopped one and a hung one.</summary>
public sealed class GatewayRoutingTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>, IDisposable
{
    private readonly HttpClient _client = fixture.Gateway.CreateSocketClient(TestTokens.For(PlatformRoles.Operator));

    public void Dispose() => _client.Dispose();

    [Fact]
    public async Task A_route_reaches_its_service_without_the_gateway_prefix()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/organizations/communities?district=%E5%B9%BF%E9%98%B3%E5%8C%BA&page=2");
        request.Headers.Add("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var seen = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("/communities", seen.GetProperty("path").GetString());
        Assert.Equal("/api/organizations", seen.GetProperty("forwardedPrefix").GetString());
        Assert.Contains(fixture.Services.Seen, s => s.Path == "/communities" && s.Authorization == _client.DefaultRequestHeaders.Authorization!.ToString());
    }

    [Fact]
    public async Task A_stopped_service_is_a_503_problem_at_once()
    {
        var clock = Stopwatch.StartNew();
        var response = await _client.GetAsync("/api/rights/communities");
        clock.Stop();

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.ServiceUnavailable);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Equal("The rights service is unavailable.", problem.GetProperty("title").GetString());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task A_service_that_does_not_answer_is_a_504_problem_not_a_hang()
    {
        var clock = Stopwatch.StartNew();
        var response = await _client.GetAsync("/api/training/communities");
        clock.Stop();

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.GatewayTimeout);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }

    [Theory]
    [InlineData("/api/unknown/things")]
    [InlineData("/api/organizations-evil/communities")]
    [InlineData("/connectx/authorize.json")]
    [InlineData("/")]
    public async Task A_path_outside_the_routes_is_a_404_problem_with_or_without_a_token_and_reaches_nothing(string path)
    {
        using var anonymous = fixture.Gateway.CreateSocketClient();
        foreach (var client in new[] { _client, anonymous })
        {
            var response = await client.GetAsync(path);
            await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound);
        }
        Assert.DoesNotContain(fixture.Services.Seen, s => s.Path.Contains("things", StringComparison.Ordinal) || s.Path.Contains("authorize", StringComparison.Ordinal));
    }
}

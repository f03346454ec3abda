using System.Net;
using System.Net.Http.Json;
using Platform.ServiceDefaults.Security;
using Platform.TestSupport;

namespace Platform.Gateway.Tests;

/// <summary>Rate limits with low limits set by configuration, as an operator or a load test would set them.</summary>
public sealed class GatewayRateLimitTests : IAsyncLifetime
{
    private FakeServices _services = null!;
    private GatewayFactory _gateway = null!;

    public async Task InitializeAsync()
    {
        _services = await FakeServices.StartAsync();
        _gateway = new GatewayFactory(_services, new Dictionary<string, string>
        {
            ["Platform:RateLimits:per-client:PermitLimit"] = "3",
            ["Platform:RateLimits:anonymous-read:PermitLimit"] = "2",
            ["Platform:RateLimits:sign-in:PermitLimit"] = "2",
            ["Platform:RateLimits:one-time-code:PermitLimit"] = "1",
        });
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _services.DisposeAsync();
    }

    [Fact]
    public async Task A_client_over_its_limit_gets_a_429_problem_with_retry_after_while_another_client_is_served()
    {
        using var busy = _gateway.CreateSocketClient(TestTokens.ForWorker(Guid.NewGuid()));
        using var other = _gateway.CreateSocketClient(TestTokens.ForWorker(Guid.NewGuid()));
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await busy.GetAsync("/api/organizations/communities")).StatusCode);
        }

        var refused = await busy.GetAsync("/api/organizations/communities");

        await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.TooManyRequests);
        var retryAfter = refused.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/api/organizations/communities")).StatusCode);
    }

    [Fact]
    public async Task Anonymous_reads_are_limited_per_address()
    {
        using var anonymous = _gateway.CreateSocketClient();
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/api/stations/stations/nearby?latitude=1&longitude=2")).StatusCode);
        }
        var refused = await anonymous.GetAsync("/api/stations/stations/nearby?latitude=1&longitude=2");
        await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.TooManyRequests);
        Assert.NotNull(refused.Headers.RetryAfter);
    }

    [Fact]
    public async Task Token_requests_are_limited_per_address_whatever_the_route()
    {
        using var anonymous = _gateway.CreateSocketClient();
        for (var i = 0; i < 2; i++)
        {
            using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "password" });
            var allowed = await anonymous.PostAsync("/connect/token", form);
            Assert.NotEqual(HttpStatusCode.TooManyRequests, allowed.StatusCode);
        }
        using var last = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "password" });
        var refused = await anonymous.PostAsync("/connect/token", last);
        await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.TooManyRequests);
        Assert.NotNull(refused.Headers.RetryAfter);
    }

    [Fact]
    public async Task One_time_code_requests_are_the_strictest()
    {
        using var anonymous = _gateway.CreateSocketClient();
        var first = await anonymous.PostAsJsonAsync("/api/identity/phone-codes", new { phone = "+8613800000000" });
        Assert.NotEqual(HttpStatusCode.TooManyRequests, first.StatusCode);

        var second = await anonymous.PostAsJsonAsync("/api/identity/phone-codes", new { phone = "+8613800000001" });

        await ProblemAssert.IsProblemAsync(second, HttpStatusCode.TooManyRequests);
        Assert.True(second.Headers.RetryAfter?.Delta > TimeSpan.FromSeconds(60), "the one-time-code window is long");
    }
}

using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Platform.ServiceDefaults.Security;
using Platform.TestSupport;

namespace Platform.Gateway.Tests;

/// <summary>
/// The city ledger in front of services that misbehave (the fakes: rights and volunteers refuse connections, training
/// accepts and never answers, organizations and stations answer something that is not their statistics). The
/// figures of real services are checked end to end in Platform.Tests.
/// </summary>
public sealed class CityLedgerTests : IAsyncLifetime
{
    private FakeServices _services = null!;
    private GatewayFactory _gateway = null!;

    public async Task InitializeAsync()
    {
        _services = await FakeServices.StartAsync();
        _gateway = new GatewayFactory(_services, new Dictionary<string, string> { ["Platform:Ledger:TimeoutSeconds"] = "2" });
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _services.DisposeAsync();
    }

    [Fact]
    public async Task Services_that_are_down_slow_or_odd_are_marked_and_the_ledger_still_answers_in_time()
    {
        var token = TestTokens.For(PlatformRoles.Operator);
        using var client = _gateway.CreateSocketClient(token);

        var clock = Stopwatch.StartNew();
        using var response = await client.GetAsync(new Uri("/api/ledger", UriKind.Relative));
        clock.Stop();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var ledger = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("unreachable", Reason(ledger, "rights"));
        Assert.Equal("unreachable", Reason(ledger, "volunteers"));
        Assert.Equal("timeout", Reason(ledger, "training"));
        Assert.Equal("unexpected statistics", Reason(ledger, "organizations"));
        Assert.Equal("unexpected statistics", Reason(ledger, "stations"));
        // In parallel: the hung service costs one timeout, not one per service.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(8), $"The ledger took {clock.Elapsed.TotalSeconds:F1} s.");
        // Each service decides with the caller's own token what it shows.
        Assert.Contains(_services.Seen, s => s.Path == "/stats" && s.Authorization == $"Bearer {token}");
    }

    [Theory]
    [InlineData(PlatformRoles.Worker)]
    [InlineData(PlatformRoles.CommunityStaff)]
    [InlineData(PlatformRoles.PartnerAgency)]
    public async Task Only_operators_officers_and_supervisors_read_the_ledger(string role)
    {
        using var anonymous = _gateway.CreateSocketClient();
        using var refusedAnonymous = await anonymous.GetAsync(new Uri("/api/ledger", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, refusedAnonymous.StatusCode);

        using var client = _gateway.CreateSocketClient(TestTokens.For(role));
        using var refused = await client.GetAsync(new Uri("/api/ledger", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.DoesNotContain(_services.Seen, s => s.Path == "/stats");
    }

    private static string? Reason(JsonElement ledger, string section)
    {
        var part = ledger.GetProperty(section);
        Assert.False(part.GetProperty("available").GetBoolean(), $"{section} should be unavailable: {part}");
        return part.GetProperty("reason").GetString();
    }
}

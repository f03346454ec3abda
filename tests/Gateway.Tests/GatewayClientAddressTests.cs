using System.Net;
using Platform.TestSupport;

namespace Platform.Gateway.Tests;

/// <summary>
/// Rate limits behind a load balancer: an anonymous caller is counted by the address in <c>X-Forwarded-For</c> only
/// when the request comes from a proxy the operator named; a signed-in caller by its token whatever the address.
/// (The test client connects from 127.0.0.1, which plays the load balancer when it is named.)
/// </summary>
public sealed class GatewayClientAddressTests : IAsyncLifetime
{
    private const string AnonymousRead = "/api/stations/stations/nearby?latitude=1&longitude=2";
    private FakeServices _services = null!;

    public async Task InitializeAsync() => _services = await FakeServices.StartAsync();

    public async Task DisposeAsync() => await _services.DisposeAsync();

    private GatewayFactory Gateway(string? knownProxy)
    {
        var settings = new Dictionary<string, string>
        {
            ["Platform:RateLimits:anonymous-read:PermitLimit"] = "2",
            ["Platform:RateLimits:per-client:PermitLimit"] = "2",
        };
        if (knownProxy is not null)
        {
            settings["Platform:ForwardedHeaders:KnownProxies:0"] = knownProxy;
        }
        return new GatewayFactory(_services, settings);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("10.20.30.40")]
    public async Task A_forwarded_address_from_a_client_that_is_not_a_known_proxy_is_ignored(string? knownProxy)
    {
        await using var gateway = Gateway(knownProxy);
        using var client = gateway.CreateSocketClient();

        // A new made-up address with every request: each would be a fresh limit if the header were believed.
        Assert.Equal(HttpStatusCode.OK, await ReadAsync(client, "203.0.113.1"));
        Assert.Equal(HttpStatusCode.OK, await ReadAsync(client, "203.0.113.2"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await ReadAsync(client, "203.0.113.3"));
    }

    [Fact]
    public async Task Behind_a_known_proxy_each_client_address_has_its_own_limit_and_only_the_proxy_s_entry_counts()
    {
        await using var gateway = Gateway("127.0.0.1");
        using var client = gateway.CreateSocketClient();

        Assert.Equal(HttpStatusCode.OK, await ReadAsync(client, "203.0.113.1"));
        Assert.Equal(HttpStatusCode.OK, await ReadAsync(client, "203.0.113.1"));
        // The client wrote an address of its own in front of the one the proxy appended: the proxy's is the one counted.
        Assert.Equal(HttpStatusCode.TooManyRequests, await ReadAsync(client, "198.51.100.7, 203.0.113.1"));
        // Another client behind the same proxy is not held back by the first.
        Assert.Equal(HttpStatusCode.OK, await ReadAsync(client, "203.0.113.2"));
    }

    [Fact]
    public async Task A_signed_in_caller_is_counted_by_its_token_whatever_address_it_comes_from()
    {
        await using var gateway = Gateway("127.0.0.1");
        using var courier = gateway.CreateSocketClient(TestTokens.ForWorker(Guid.NewGuid()));
        using var colleague = gateway.CreateSocketClient(TestTokens.ForWorker(Guid.NewGuid()));

        Assert.Equal(HttpStatusCode.OK, await ReadAsync(courier, "203.0.113.1", "/api/organizations/communities"));
        Assert.Equal(HttpStatusCode.OK, await ReadAsync(courier, "203.0.113.2", "/api/organizations/communities"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await ReadAsync(courier, "203.0.113.3", "/api/organizations/communities"));
        // A colleague behind the same carrier NAT (the same address) has a limit of his own.
        Assert.Equal(HttpStatusCode.OK, await ReadAsync(colleague, "203.0.113.3", "/api/organizations/communities"));
    }

    private static async Task<HttpStatusCode> ReadAsync(HttpClient client, string forwardedFor, string path = AnonymousRead)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }
}

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Platform.Gateway.Tests;

/// <summary>The real gateway (YARP with its configuration) in front of a real backend, a stopped one and a hung one.</summary>
public sealed class GatewayRoutingTests : IAsyncLifetime
{
    private WebApplication _backend = null!;
    private TcpListener _hung = null!;
    private int _closedPort;
    private WebApplicationFactory<Program> _gateway = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        // A service that echoes what reached it.
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _backend = builder.Build();
        _backend.Map("/{**path}", (HttpContext ctx) => Results.Json(new
        {
            path = ctx.Request.Path.Value,
            query = ctx.Request.QueryString.Value,
            forwardedPrefix = ctx.Request.Headers["X-Forwarded-Prefix"].ToString(),
            forwardedFor = ctx.Request.Headers["X-Forwarded-For"].ToString(),
            traceparent = ctx.Request.Headers["traceparent"].ToString(),
        }));
        await _backend.StartAsync();
        var backendUrl = _backend.Urls.Single();

        // A service that accepts connections and never answers.
        _hung = new TcpListener(IPAddress.Loopback, 0);
        _hung.Start();
        // A port where nothing listens: a stopped service.
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            _closedPort = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        _gateway = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseSetting("services:organizations:http:0", backendUrl);
            web.UseSetting("services:rights:http:0", $"http://127.0.0.1:{_closedPort}");
            web.UseSetting("services:training:http:0", $"http://127.0.0.1:{((IPEndPoint)_hung.LocalEndpoint).Port}");
            web.UseSetting("ReverseProxy:Clusters:training:HttpRequest:ActivityTimeout", "00:00:02");
        });
        _client = _gateway.CreateClient();
        _client.Timeout = TimeSpan.FromSeconds(20);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _gateway.DisposeAsync();
        _hung.Stop();
        _hung.Dispose();
        await _backend.StopAsync();
        await _backend.DisposeAsync();
    }

    [Fact]
    public async Task A_route_reaches_its_service_without_the_gateway_prefix()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/organizations/communities?district=%E5%B9%BF%E9%98%B3%E5%8C%BA&page=2");
        request.Headers.Add("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var seen = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("/communities", seen.GetProperty("path").GetString());
        Assert.Equal("?district=%E5%B9%BF%E9%98%B3%E5%8C%BA&page=2", seen.GetProperty("query").GetString());
        Assert.Equal("/api/organizations", seen.GetProperty("forwardedPrefix").GetString());
        Assert.Contains("0af7651916cd43dd8448eb211c80319c", seen.GetProperty("traceparent").GetString());
    }

    [Fact]
    public async Task A_stopped_service_is_a_503_problem_at_once()
    {
        var clock = Stopwatch.StartNew();
        var response = await _client.GetAsync("/api/rights/communities");
        clock.Stop();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(response.Headers.RetryAfter);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("The rights service is unavailable.", problem.GetProperty("title").GetString());
        Assert.Equal(503, problem.GetProperty("status").GetInt32());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task A_service_that_does_not_answer_is_a_504_problem_not_a_hang()
    {
        var clock = Stopwatch.StartNew();
        var response = await _client.GetAsync("/api/training/communities");
        clock.Stop();

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task A_path_outside_the_routes_is_404()
    {
        var response = await _client.GetAsync("/api/unknown/things");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}

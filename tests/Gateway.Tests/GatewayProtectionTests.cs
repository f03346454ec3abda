using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Platform.ServiceDefaults.Security;
using Platform.TestSupport;

namespace Platform.Gateway.Tests;

/// <summary>Body limits, CORS, security headers and the correlation id, as a browser or an app sees them.</summary>
public sealed class GatewayProtectionTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>, IDisposable
{
    private readonly HttpClient _client = fixture.Gateway.CreateSocketClient(TestTokens.For(PlatformRoles.Operator));

    public void Dispose() => _client.Dispose();

    [Fact]
    public async Task An_oversized_body_is_a_413_problem_and_is_not_forwarded()
    {
        var marker = Guid.NewGuid().ToString("N");
        using var body = new ByteArrayContent(new byte[1024 * 1024 + 1]);
        body.Headers.ContentType = new("application/json");

        var response = await _client.PostAsync($"/api/organizations/uploads/{marker}", body);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.False(fixture.Services.Reached(marker));
    }

    [Fact]
    public async Task A_client_still_sending_an_oversized_body_when_the_gateway_answers_reads_the_413()
    {
        // The gateway answers as soon as it has the headers. A client writes its whole body before it reads, so here
        // the body goes out only once the answer has arrived: had the gateway closed the connection at once, those
        // bytes would meet a reset that wipes the unread answer (the cause of a broken pipe seen in a whole-suite run).
        var marker = Guid.NewGuid().ToString("N");
        var address = _client.BaseAddress!;
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        using var timeout = new CancellationTokenSource(GatewayFactory.RequestTimeout);
        await socket.ConnectAsync(address.Host, address.Port, timeout.Token);
        var length = 1024 * 1024 + 1;
        var head = $"POST /api/organizations/uploads/{marker} HTTP/1.1\r\nHost: {address.Authority}\r\n" +
                   $"Authorization: Bearer {TestTokens.For(PlatformRoles.Operator)}\r\nContent-Type: application/json\r\nContent-Length: {length}\r\n\r\n";
        await socket.SendAsync(System.Text.Encoding.ASCII.GetBytes(head), System.Net.Sockets.SocketFlags.None, timeout.Token);
        var first = new byte[1];
        Assert.Equal(1, await socket.ReceiveAsync(first, System.Net.Sockets.SocketFlags.Peek, timeout.Token));

        var piece = new byte[64 * 1024];
        for (var sent = 0; sent < length; sent += piece.Length)
        {
            await socket.SendAsync(piece.AsMemory(0, Math.Min(piece.Length, length - sent)), System.Net.Sockets.SocketFlags.None, timeout.Token);
        }
        using var answer = new MemoryStream();
        var buffer = new byte[16 * 1024];
        for (int read; (read = await socket.ReceiveAsync(buffer, System.Net.Sockets.SocketFlags.None, timeout.Token)) > 0;)
        {
            answer.Write(buffer, 0, read);
        }

        var text = System.Text.Encoding.UTF8.GetString(answer.ToArray());
        Assert.StartsWith("HTTP/1.1 413 ", text, StringComparison.Ordinal);
        Assert.Contains("application/problem+json", text, StringComparison.Ordinal);
        Assert.Contains("\"status\":413", text, StringComparison.Ordinal);
        Assert.False(fixture.Services.Reached(marker));
    }

    [Fact]
    public async Task An_oversized_body_without_a_declared_length_is_a_413_problem_too()
    {
        var marker = Guid.NewGuid().ToString("N");
        using var stream = new MemoryStream(new byte[2 * 1024 * 1024]);
        using var body = new StreamContent(stream);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/organizations/uploads/{marker}") { Content = body };
        request.Headers.TransferEncodingChunked = true;

        var response = await _client.SendAsync(request);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        // The service may have seen the start of the stream, but never a whole oversized body.
        Assert.DoesNotContain(fixture.Services.Seen, s => s.Path.Contains(marker, StringComparison.Ordinal) && s.BodyLength > 1024 * 1024);
    }

    [Fact]
    public async Task A_body_within_the_limit_is_forwarded_whole()
    {
        var marker = Guid.NewGuid().ToString("N");
        using var body = new ByteArrayContent(new byte[512 * 1024]);

        var response = await _client.PostAsync($"/api/organizations/uploads/{marker}", body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(fixture.Services.Seen, s => s.Path.Contains(marker, StringComparison.Ordinal) && s.BodyLength == 512 * 1024);
    }

    [Fact]
    public async Task A_preflight_from_a_configured_app_origin_is_allowed_and_from_another_is_not()
    {
        using var anonymous = fixture.Gateway.CreateSocketClient();
        foreach (var (origin, allowed) in new[] { (GatewayFactory.AppOrigin, true), ("https://evil.example", false) })
        {
            using var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/organizations/communities");
            preflight.Headers.Add("Origin", origin);
            preflight.Headers.Add("Access-Control-Request-Method", "POST");
            preflight.Headers.Add("Access-Control-Request-Headers", "authorization,content-type,idempotency-key");

            var response = await anonymous.SendAsync(preflight);

            Assert.True(response.IsSuccessStatusCode, $"preflight from {origin}: {response.StatusCode}");
            if (allowed)
            {
                Assert.Equal(origin, Assert.Single(response.Headers.GetValues("Access-Control-Allow-Origin")));
                Assert.Contains("POST", response.Headers.GetValues("Access-Control-Allow-Methods").Single(), StringComparison.Ordinal);
            }
            else
            {
                Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"), $"{origin} was allowed");
            }
        }
    }

    [Fact]
    public async Task A_cross_origin_call_from_the_app_may_read_the_answer_and_its_request_id()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/organizations/communities");
        request.Headers.Add("Origin", GatewayFactory.AppOrigin);

        var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(GatewayFactory.AppOrigin, response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("X-Request-Id", response.Headers.GetValues("Access-Control-Expose-Headers").Single(), StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("/api/organizations/communities")]
    [InlineData("/api/unknown")]
    public async Task Every_answer_carries_the_security_headers_and_no_server_name(string path)
    {
        var response = await _client.GetAsync(path);

        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Equal("default-src 'none'; frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
        // The fake service says "Server: Kestrel"; the gateway does not pass it on nor add its own.
        Assert.False(response.Headers.Contains("Server"));
    }

    [Fact]
    public async Task A_well_formed_request_id_is_echoed_and_forwarded()
    {
        var id = $"app-{Guid.NewGuid():N}";
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/organizations/echo/{id}");
        request.Headers.Add("X-Request-Id", id);

        var response = await _client.SendAsync(request);

        Assert.Equal(id, response.Headers.GetValues("X-Request-Id").Single());
        var seen = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(id, seen.GetProperty("requestId").GetString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("has spaces and\ttabs")]
    [InlineData("<script>alert(1)</script>")]
    public async Task A_missing_or_malformed_request_id_is_replaced_by_a_new_one_that_is_echoed_and_forwarded(string given)
    {
        var marker = Guid.NewGuid().ToString("N");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/organizations/echo/{marker}");
        if (given.Length > 0)
        {
            request.Headers.TryAddWithoutValidation("X-Request-Id", given);
        }

        var response = await _client.SendAsync(request);

        var echoed = response.Headers.GetValues("X-Request-Id").Single();
        Assert.NotEqual(given, echoed);
        Assert.Matches("^[0-9a-f]{32}$", echoed);
        var seen = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(echoed, seen.GetProperty("requestId").GetString());
    }

    [Fact]
    public async Task Each_request_without_an_id_gets_its_own()
    {
        var first = await _client.GetAsync("/api/organizations/communities");
        var second = await _client.GetAsync("/api/organizations/communities");

        Assert.NotEqual(first.Headers.GetValues("X-Request-Id").Single(), second.Headers.GetValues("X-Request-Id").Single());
    }
}

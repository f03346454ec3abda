using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Platform.TestSupport;

namespace Platform.Identity.Tests.Production;

/// <summary>
/// Identity as a city runs it: its built assembly as its own process in the Production environment, behind a
/// TLS-terminating proxy (requests come from a named proxy with <c>X-Forwarded-Proto: https</c>), sending codes through
/// an HTTP SMS gateway (a local fake that records what it was asked to send).
/// </summary>
[Collection(InfrastructureCollection.Name)]
public sealed class ProductionStartTests(LocalInfrastructure infrastructure) : IAsyncLifetime
{
    private const string ApiKey = "sms-gateway-test-key";
    private const string Phone = "13912345678";
    private readonly ConcurrentQueue<(string? Authorization, string? IdempotencyKey, JsonElement Body)> _texts = new();
    private WebApplication _smsGateway = null!;
    private Uri _smsUrl = null!;
    private volatile int _smsStatus = StatusCodes.Status202Accepted;

    public async Task InitializeAsync()
    {
        var port = ReservedPorts.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        _smsGateway = builder.Build();
        _smsGateway.MapPost("/v1/messages", async (HttpRequest request) =>
        {
            var body = await JsonSerializer.DeserializeAsync<JsonElement>(request.Body);
            _texts.Enqueue((request.Headers.Authorization, request.Headers["Idempotency-Key"], body));
            return Results.StatusCode(_smsStatus);
        });
        await _smsGateway.StartAsync();
        _smsUrl = new Uri($"http://127.0.0.1:{port}/v1/messages");
    }

    public async Task DisposeAsync() => await _smsGateway.DisposeAsync();

    private Dictionary<string, string> ProductionSettings(bool withSmsGateway = true)
    {
        var settings = ServiceProcess.Settings(infrastructure, "identity", $"identity_{Guid.NewGuid():N}");
        // The test is the TLS-terminating proxy in front of identity.
        settings["Platform__ForwardedHeaders__KnownProxies__0"] = "127.0.0.1";
        if (withSmsGateway)
        {
            settings["Identity__Sms__Url"] = _smsUrl.ToString();
            settings["Identity__Sms__ApiKey"] = ApiKey;
        }
        return settings;
    }

    [Fact]
    public async Task A_worker_signs_in_in_Production_with_the_code_the_SMS_gateway_was_given()
    {
        using var identity = await StartHealthyAsync();
        using var client = new HttpClient { BaseAddress = identity.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        AsFromTheProxy(client);

        using var asked = await client.PostAsJsonAsync("/phone-codes", new { phone = Phone });
        Assert.Equal(HttpStatusCode.Accepted, asked.StatusCode);
        var answer = await asked.Content.ReadFromJsonAsync<JsonElement>();
        // Outside local runs the code goes by text message only, never in the answer.
        Assert.True(!answer.TryGetProperty("code", out var shown) || shown.ValueKind == JsonValueKind.Null, answer.ToString());
        var text = Assert.Single(_texts);
        Assert.Equal($"Bearer {ApiKey}", text.Authorization);
        Assert.False(string.IsNullOrEmpty(text.IdempotencyKey));
        Assert.Equal("+86" + Phone, text.Body.GetProperty("to").GetString());
        Assert.Equal("sign-in-code", text.Body.GetProperty("template").GetString());
        var code = text.Body.GetProperty("params").GetProperty("code").GetString()!;

        using var token = await client.PostAsync(new Uri("/connect/token", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "urn:platform:grant-type:phone-code", ["client_id"] = "platform-app", ["phone"] = Phone, ["code"] = code,
        }));
        Assert.True(token.StatusCode == HttpStatusCode.OK, await token.Content.ReadAsStringAsync());
        Assert.False(string.IsNullOrEmpty((await token.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()));
        Assert.DoesNotContain(Phone, identity.Output, StringComparison.Ordinal);
    }

    private static string Identity => ServiceProcess.Built("src/Services/Identity", "Platform.Identity.dll");

    /// <summary>Identity in Production with the SMS gateway, once it reports healthy.</summary>
    private async Task<ServiceProcess> StartHealthyAsync()
    {
        var identity = ServiceProcess.Start("identity", Identity, ReservedPorts.Next(), ProductionSettings());
        try
        {
            await identity.WaitUntilAsync("/health");
            return identity;
        }
        catch
        {
            identity.Dispose();
            throw;
        }
    }

    /// <summary>What a TLS-terminating ingress adds: the client's address and the scheme it used.</summary>
    private static void AsFromTheProxy(HttpClient client)
    {
        client.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.7");
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
    }

    [Fact]
    public async Task In_Production_a_token_request_that_did_not_arrive_over_TLS_is_refused()
    {
        using var identity = await StartHealthyAsync();
        using var client = new HttpClient { BaseAddress = identity.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        // No X-Forwarded-Proto from the proxy: the request reached identity over plain HTTP.
        using var token = await client.PostAsync(new Uri("/connect/token", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["client_id"] = "platform-app", ["username"] = "operator", ["password"] = "whatever",
        }));

        Assert.Equal(HttpStatusCode.BadRequest, token.StatusCode);
        Assert.Contains("HTTPS", await token.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_text_the_SMS_gateway_refuses_is_a_503_problem_and_the_worker_can_ask_again()
    {
        using var identity = await StartHealthyAsync();
        using var client = new HttpClient { BaseAddress = identity.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        AsFromTheProxy(client);
        _smsStatus = StatusCodes.Status400BadRequest;

        using var refused = await client.PostAsJsonAsync("/phone-codes", new { phone = Phone });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);

        _smsStatus = StatusCodes.Status202Accepted;
        using var again = await client.PostAsJsonAsync("/phone-codes", new { phone = Phone });
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        Assert.DoesNotContain(Phone, identity.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Production_without_an_SMS_gateway_refuses_to_start_and_names_the_settings()
    {
        using var identity = ServiceProcess.Start("identity", Identity, ReservedPorts.Next(), ProductionSettings(withSmsGateway: false));

        var refused = await Assert.ThrowsAsync<TimeoutException>(() => identity.WaitUntilAsync("/alive"));
        Assert.Contains("exited", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Identity__Sms__Url", refused.Message, StringComparison.Ordinal);
    }
}

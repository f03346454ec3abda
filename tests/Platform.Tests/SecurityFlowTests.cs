using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Aspire.Hosting.Testing;

namespace Platform.Tests;

/// <summary>
/// What the whole platform refuses, end to end through the real gateway (and, for tokens, at a service called
/// directly too): guessed sign-in codes, forged tokens, another worker's records, raised roles, oversized bodies.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class SecurityFlowTests(PlatformFixture platform)
{
    [Fact]
    public async Task After_five_wrong_codes_even_the_right_code_is_refused()
    {
        var phone = NewPhone();
        var code = await RequestCodeAsync(phone);
        var wrong = code == "000000" ? "111111" : "000000";

        for (var attempt = 1; attempt <= 5; attempt++)
        {
            var refused = await PhoneCodeAsync(phone, wrong);
            Assert.Equal((HttpStatusCode.BadRequest, "invalid_grant"), (refused.Status, refused.Body.GetProperty("error").GetString()));
        }
        var right = await PhoneCodeAsync(phone, code);

        Assert.Equal((HttpStatusCode.BadRequest, "invalid_grant"), (right.Status, right.Body.GetProperty("error").GetString()));
        Assert.False(right.Body.TryGetProperty("access_token", out _));
    }

    [Fact]
    public async Task Forged_tokens_are_refused_by_the_gateway_and_by_a_service_called_directly()
    {
        var (token, _) = await SignInWorkerAsync();
        var parts = token.Split('.');
        var payload = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(Base64Url.Text(parts[1]))!;
        var raised = new Dictionary<string, object>(payload.Select(p => KeyValuePair.Create(p.Key, (object)p.Value))) { ["role"] = "operator" };
        var raisedPayload = Base64Url.Of(JsonSerializer.Serialize(raised));
        var forgeries = new Dictionary<string, string>
        {
            // The payload changed under the real signature.
            ["tampered"] = $"{parts[0]}.{raisedPayload}.{parts[2]}",
            // No signature at all.
            ["alg none"] = $"{Base64Url.Of("""{"alg":"none","typ":"at+jwt"}""")}.{raisedPayload}.",
            // Signed with a shared secret anyone could guess (HS256 with the key id of the real key).
            ["hs256"] = HmacToken(parts[0], raisedPayload),
        };
        using var direct = platform.App.CreateHttpClient("volunteers");
        direct.Timeout = TimeSpan.FromSeconds(30);

        using (var genuine = platform.ClientWithToken(token))
        {
            using var accepted = await genuine.GetAsync(new Uri("/api/volunteers/communities", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        }
        foreach (var (name, forged) in forgeries)
        {
            using var viaGateway = platform.ClientWithToken(forged);
            using var atGateway = await viaGateway.GetAsync(new Uri("/api/volunteers/communities", UriKind.Relative));
            Assert.True(atGateway.StatusCode == HttpStatusCode.Unauthorized, $"{name} at the gateway: {(int)atGateway.StatusCode}");

            using var request = new HttpRequestMessage(HttpMethod.Get, "/communities");
            request.Headers.Authorization = new("Bearer", forged);
            using var atService = await direct.SendAsync(request);
            Assert.True(atService.StatusCode == HttpStatusCode.Unauthorized, $"{name} at the service: {(int)atService.StatusCode}");
        }
    }

    [Fact]
    public async Task A_worker_cannot_read_another_worker_s_case_and_is_told_it_does_not_exist()
    {
        var (first, _) = await SignInWorkerAsync();
        var (second, _) = await SignInWorkerAsync();
        using var owner = platform.ClientWithToken(first);
        using var other = platform.ClientWithToken(second);

        using var submitted = await owner.PostAsJsonAsync("/api/rights/cases",
            new { category = "unpaid-wages", urgency = "normal", description = "三个月工资未付", district = "广阳区" });
        Assert.True(submitted.StatusCode == HttpStatusCode.Created, await submitted.Content.ReadAsStringAsync());
        var id = (await submitted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        using var own = await owner.GetAsync(new Uri($"/api/rights/cases/{id}", UriKind.Relative));
        using var foreign = await other.GetAsync(new Uri($"/api/rights/cases/{id}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.DoesNotContain("三个月工资未付", await foreign.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Extra_fields_cannot_raise_a_role()
    {
        var userName = $"staff-{Guid.NewGuid():N}"[..18];
        using var created = await platform.Operator.PostAsJsonAsync("/api/identity/users",
            new { userName, password = "廊坊-staff-password-1", role = "community-staff", roles = new[] { "operator" } });

        Assert.Equal(HttpStatusCode.BadRequest, created.StatusCode);
        Assert.Contains("roles", await created.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var refused = await platform.TokenRequestAsync(("grant_type", "password"), ("client_id", "platform-app"), ("username", userName), ("password", "廊坊-staff-password-1"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
    }

    [Fact]
    public async Task An_oversized_body_is_refused_at_the_gateway_with_413()
    {
        var name = new string('社', 600_000); // about 1.8 MB in UTF-8, over the 1 MB limit
        using var content = new StringContent(
            $$"""{"name":"{{name}}","district":"广阳区","street":"新华路街道","latitude":39.52,"longitude":116.70}""", Encoding.UTF8, "application/json");

        using var response = await platform.Operator.PostAsync(new Uri("/api/organizations/communities", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private static string NewPhone() =>
        "136" + Random.Shared.NextInt64(0, 100_000_000).ToString("D8", System.Globalization.CultureInfo.InvariantCulture);

    private async Task<string> RequestCodeAsync(string phone)
    {
        using var sent = await platform.Gateway.PostAsJsonAsync("/api/identity/phone-codes", new { phone });
        Assert.True(sent.StatusCode == HttpStatusCode.Accepted, await sent.Content.ReadAsStringAsync());
        return (await sent.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString()!;
    }

    private async Task<(string AccessToken, string Phone)> SignInWorkerAsync()
    {
        var phone = NewPhone();
        var signedIn = await PhoneCodeAsync(phone, await RequestCodeAsync(phone));
        Assert.True(signedIn.Status == HttpStatusCode.OK, signedIn.Body.ToString());
        return (signedIn.Body.GetProperty("access_token").GetString()!, phone);
    }

    private Task<(HttpStatusCode Status, JsonElement Body)> PhoneCodeAsync(string phone, string code) =>
        platform.TokenRequestAsync(("grant_type", "urn:platform:grant-type:phone-code"), ("client_id", "platform-app"), ("phone", phone), ("code", code));

    private static string HmacToken(string realHeader, string payload)
    {
        var header = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(Base64Url.Text(realHeader))!;
        var kid = header.TryGetValue("kid", out var k) ? k.GetString() : null;
        var forgedHeader = Base64Url.Of(JsonSerializer.Serialize(new { alg = "HS256", typ = "at+jwt", kid }));
        var signature = System.Security.Cryptography.HMACSHA256.HashData(Encoding.UTF8.GetBytes("secret"), Encoding.ASCII.GetBytes($"{forgedHeader}.{payload}"));
        return $"{forgedHeader}.{payload}.{Base64Url.Of(signature)}";
    }
}

/// <summary>Base64url as JWTs use it (no padding).</summary>
internal static class Base64Url
{
    public static string Of(string text) => Of(Encoding.UTF8.GetBytes(text));

    public static string Of(byte[] bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);

    public static string Text(string encoded) => Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(encoded));
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Platform.Tests;

/// <summary>
/// Every kind of user gets a token through the gateway (the public issuer) and calls services through it: the
/// operator and staff with a password, a worker with a phone code, a partner system with client credentials.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class IdentityFlowTests(PlatformFixture platform)
{
    private static readonly string[] EventsScope = ["events"];

    [Fact]
    public async Task The_discovery_document_at_the_gateway_names_the_gateway_as_issuer_and_token_endpoint()
    {
        var discovery = await platform.Gateway.GetFromJsonAsync<JsonElement>("/.well-known/openid-configuration");
        var issuer = platform.Gateway.BaseAddress!.GetLeftPart(UriPartial.Authority) + "/";

        Assert.Equal(issuer, discovery.GetProperty("issuer").GetString());
        Assert.Equal(issuer + "connect/token", discovery.GetProperty("token_endpoint").GetString());
        var jwks = await platform.Gateway.GetFromJsonAsync<JsonElement>(new Uri(discovery.GetProperty("jwks_uri").GetString()!).PathAndQuery);
        Assert.NotEmpty(jwks.GetProperty("keys").EnumerateArray());
    }

    [Fact]
    public async Task A_staff_user_created_by_the_operator_signs_in_and_is_authorized_by_role_in_a_service()
    {
        var userName = $"officer-{Guid.NewGuid():N}"[..20];
        const string password = "廊坊-officer-password-1";
        using var created = await platform.Operator.PostAsJsonAsync("/api/identity/users", new { userName, password, role = "org-officer", district = "广阳区" });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());

        using var officer = platform.ClientWithToken(await platform.PasswordTokenAsync(userName, password));
        using var registered = await officer.PostAsJsonAsync("/api/organizations/communities",
            new { name = $"官员社区-{Guid.NewGuid():N}"[..16], district = "广阳区", street = "新华路街道", latitude = 39.52, longitude = 116.70 });
        Assert.True(registered.StatusCode == HttpStatusCode.Created, await registered.Content.ReadAsStringAsync());

        // The officer is not an operator: identity's admin API refuses.
        using var forbidden = await officer.GetAsync(new Uri("/api/identity/users", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
    }

    [Fact]
    public async Task A_worker_signs_in_with_a_phone_code_reads_a_protected_route_and_refreshes()
    {
        var phone = "137" + Random.Shared.NextInt64(0, 100_000_000).ToString("D8", System.Globalization.CultureInfo.InvariantCulture);
        using var sent = await platform.Gateway.PostAsJsonAsync("/api/identity/phone-codes", new { phone });
        Assert.True(sent.StatusCode == HttpStatusCode.Accepted, await sent.Content.ReadAsStringAsync());
        // Local runs are Development: the code is in the answer (and in identity's log), there is no SMS.
        var code = (await sent.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString()!;

        var wrong = await PhoneCodeAsync(phone, code == "000000" ? "111111" : "000000");
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_grant"), (wrong.Status, wrong.Body.GetProperty("error").GetString()));
        var signedIn = await PhoneCodeAsync(phone, code);
        Assert.True(signedIn.Status == HttpStatusCode.OK, signedIn.Body.ToString());
        var reused = await PhoneCodeAsync(phone, code);
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_grant"), (reused.Status, reused.Body.GetProperty("error").GetString()));

        using (var worker = platform.ClientWithToken(signedIn.Body.GetProperty("access_token").GetString()!))
        {
            using var read = await worker.GetAsync(new Uri("/api/stations/communities", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
            // A worker may not register communities.
            using var write = await worker.PostAsJsonAsync("/api/organizations/communities",
                new { name = "工人社区", district = "广阳区", street = "新华路街道", latitude = 39.52, longitude = 116.70 });
            Assert.Equal(HttpStatusCode.Forbidden, write.StatusCode);
        }
        using var anonymous = await platform.Gateway.GetAsync(new Uri("/api/stations/communities", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        var refreshToken = signedIn.Body.GetProperty("refresh_token").GetString()!;
        var refreshed = await platform.TokenRequestAsync(("grant_type", "refresh_token"), ("client_id", "platform-app"), ("refresh_token", refreshToken));
        Assert.True(refreshed.Status == HttpStatusCode.OK, refreshed.Body.ToString());
        var again = await platform.TokenRequestAsync(("grant_type", "refresh_token"), ("client_id", "platform-app"), ("refresh_token", refreshToken));
        Assert.Equal(HttpStatusCode.BadRequest, again.Status);
        using var withRefreshed = platform.ClientWithToken(refreshed.Body.GetProperty("access_token").GetString()!);
        using var readAgain = await withRefreshed.GetAsync(new Uri("/api/training/communities", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, readAgain.StatusCode);
    }

    [Fact]
    public async Task A_partner_client_created_by_the_operator_gets_a_token_accepted_by_a_service()
    {
        var clientId = $"agency-{Guid.NewGuid():N}"[..20];
        using var created = await platform.Operator.PostAsJsonAsync("/api/identity/clients", new { clientId, displayName = "廊坊市人力资源和社会保障局", scopes = EventsScope });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var secret = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("clientSecret").GetString()!;

        var token = await platform.TokenRequestAsync(("grant_type", "client_credentials"), ("client_id", clientId), ("client_secret", secret), ("scope", "events"));
        Assert.True(token.Status == HttpStatusCode.OK, token.Body.ToString());

        using var partner = platform.ClientWithToken(token.Body.GetProperty("access_token").GetString()!);
        using var read = await partner.GetAsync(new Uri("/api/rights/communities", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
    }

    private Task<(HttpStatusCode Status, JsonElement Body)> PhoneCodeAsync(string phone, string code) =>
        platform.TokenRequestAsync(("grant_type", "urn:platform:grant-type:phone-code"), ("client_id", "platform-app"), ("phone", phone), ("code", code),
            ("scope", "offline_access"));
}

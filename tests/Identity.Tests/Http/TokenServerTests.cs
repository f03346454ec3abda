using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Platform.Identity.Application;
using Platform.ServiceDefaults.Security;
using Platform.TestSupport;

namespace Platform.Identity.Tests.Http;

/// <summary>Discovery, keys, the bootstrap operator and the shape of the access tokens every service validates.</summary>
public sealed class TokenServerTests(LocalInfrastructure infrastructure) : IdentityApiTest(infrastructure)
{
    [Fact]
    public async Task The_discovery_document_names_the_public_issuer_and_its_endpoints()
    {
        var discovery = await Anonymous.GetFromJsonAsync<JsonElement>("/.well-known/openid-configuration");

        Assert.Equal(TestTokens.Issuer, discovery.GetProperty("issuer").GetString());
        Assert.Equal(TestTokens.Issuer + "connect/token", discovery.GetProperty("token_endpoint").GetString());
        Assert.Equal(TestTokens.Issuer + ".well-known/jwks", discovery.GetProperty("jwks_uri").GetString());
        var grants = discovery.GetProperty("grant_types_supported").EnumerateArray().Select(g => g.GetString()).ToList();
        Assert.Contains("client_credentials", grants);
        Assert.Contains("password", grants);
        Assert.Contains("refresh_token", grants);
        Assert.Contains(PlatformClients.PhoneCodeGrantType, grants);
    }

    [Fact]
    public async Task The_jwks_publishes_one_rsa_signing_key_without_its_private_part()
    {
        var jwks = await Anonymous.GetFromJsonAsync<JsonElement>(JwksPath);

        var key = Assert.Single(jwks.GetProperty("keys").EnumerateArray());
        Assert.Equal("RSA", key.GetProperty("kty").GetString());
        Assert.Equal("sig", key.GetProperty("use").GetString());
        Assert.False(string.IsNullOrEmpty(key.GetProperty("kid").GetString()));
        Assert.False(key.TryGetProperty("d", out _), "The private exponent must never be published.");
        Assert.False(key.TryGetProperty("p", out _));
    }

    [Fact]
    public async Task The_bootstrap_operator_gets_a_signed_access_token_for_the_platform_api()
    {
        var answer = await PasswordGrantAsync(BootstrapOperator.UserName, OperatorPassword);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("Bearer", answer.Body.GetProperty("token_type").GetString());
        var jwt = answer.Jwt;
        Assert.Equal("RS256", jwt.Alg);
        Assert.Equal(PlatformAuthentication.AccessTokenType, jwt.Typ);
        Assert.Equal(TestTokens.Issuer, jwt.Issuer);
        Assert.Equal([PlatformAuthentication.DefaultAudience], jwt.Audiences);
        Assert.True(Guid.TryParse(jwt.Subject, out _), jwt.Subject);
        Assert.Equal([PlatformRoles.Operator], ClaimValues(jwt, PlatformClaims.Role));
        Assert.Equal([PlatformClients.App], ClaimValues(jwt, PlatformClaims.ClientId));
        var lifetime = jwt.ValidTo - jwt.IssuedAt;
        Assert.InRange(lifetime, TimeSpan.FromMinutes(29), TimeSpan.FromMinutes(31));
    }

    [Fact]
    public async Task The_service_accepts_its_own_tokens_and_refuses_a_call_without_one()
    {
        using var admin = await OperatorClientAsync();
        using var allowed = await admin.GetAsync(new Uri("/users", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);

        using var refused = await Anonymous.GetAsync(new Uri("/users", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task A_token_signed_by_another_key_is_refused()
    {
        // Right issuer, audience and claims, but signed by the test key rather than identity's.
        using var client = Service.CreateHttpClient(TestTokens.For(PlatformRoles.Operator));
        using var response = await client.GetAsync(new Uri("/users", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task After_a_restart_the_same_key_signs_and_the_operator_is_not_created_again()
    {
        var kidBefore = (await Anonymous.GetFromJsonAsync<JsonElement>(JwksPath)).GetProperty("keys")[0].GetProperty("kid").GetString();
        var tokenBefore = await OperatorTokenAsync();
        var password = OperatorPassword;

        // A second instance on the same database and data key: a restart, or a second replica.
        await using var restarted = StartService(new Dictionary<string, string>
        {
            ["ConnectionStrings:identity-db"] = Service.DatabaseConnectionString,
            [PersonalDataProtector.KeySetting] = Service.PersonalDataKey,
        });
        await restarted.StartAsync();
        using var anonymous = restarted.CreateHttpClient();
        var kidAfter = (await anonymous.GetFromJsonAsync<JsonElement>(JwksPath)).GetProperty("keys")[0].GetProperty("kid").GetString();

        Assert.Equal(kidBefore, kidAfter);
        Assert.Equal(password, OperatorPassword);
        Assert.Equal(1, await Service.ScalarAsync<long>("SELECT count(*) FROM staff_users WHERE \"Role\" = 'operator'"));
        // A token issued before the restart is still accepted after it.
        using var admin = restarted.CreateHttpClient(tokenBefore);
        using var response = await admin.GetAsync(new Uri("/users", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task The_bootstrap_password_file_is_readable_by_its_owner_only()
    {
        await OperatorTokenAsync();
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(PasswordFile));
    }
}

using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using Platform.ServiceDefaults.Security;

namespace Platform.TestSupport;

/// <summary>
/// Access tokens for per-service tests, signed by a key only the test process knows. A service started by
/// <see cref="ServiceFactory{TProgram}"/> trusts this key in place of the identity service's JWKS; everything else
/// about validation (issuer, audience, lifetime, algorithms, token type) is the service's real configuration.
/// </summary>
public static class TestTokens
{
    public const string Issuer = "https://identity.test/";
    public const string Audience = PlatformAuthentication.DefaultAudience;

    private static readonly RsaSecurityKey Key = new(RSA.Create(2048)) { KeyId = "test-key" };

    public static SigningCredentials Credentials { get; } = new(Key, SecurityAlgorithms.RsaSha256);

    /// <summary>A token for a user in <paramref name="role"/>, valid for an hour.</summary>
    /// <param name="subject">The user id (for a worker: the worker id); a new one when omitted.</param>
    /// <param name="claims">More claims, e.g. <c>(PlatformClaims.Community, id)</c> for community staff.</param>
    public static string For(string role, Guid? subject = null, params (string Type, string Value)[] claims) =>
        Create(new Dictionary<string, object>
        {
            [PlatformClaims.Subject] = (subject ?? Guid.NewGuid()).ToString(),
            [PlatformClaims.Role] = role,
        }, claims);

    /// <summary>A worker's token: <paramref name="workerId"/> is how the services find the worker's records.</summary>
    public static string ForWorker(Guid workerId) => For(PlatformRoles.Worker, workerId);

    /// <summary>A token with the given payload and header choices, for tests of what validation refuses.</summary>
    public static string Create(IDictionary<string, object> payload, (string Type, string Value)[]? claims = null,
        string issuer = Issuer, string audience = Audience, DateTime? expires = null, SigningCredentials? credentials = null,
        string tokenType = PlatformAuthentication.AccessTokenType)
    {
        var all = new Dictionary<string, object>(payload);
        foreach (var group in (claims ?? []).GroupBy(c => c.Type))
        {
            all[group.Key] = group.Count() == 1 ? group.First().Value : group.Select(c => c.Value).ToArray();
        }
        var expiry = expires ?? DateTime.UtcNow.AddHours(1);
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Claims = all,
            IssuedAt = expiry.AddHours(-1),
            NotBefore = expiry.AddHours(-1),
            Expires = expiry,
            SigningCredentials = credentials ?? Credentials,
            TokenType = tokenType,
        });
    }

    /// <summary>Makes the service trust the test key instead of fetching the identity service's JWKS.</summary>
    public static void TrustIn(IServiceCollection services)
    {
        var configuration = new OpenIdConnectConfiguration { Issuer = Issuer };
        configuration.SigningKeys.Add(Key);
        services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, options =>
            options.ConfigurationManager = new StaticConfigurationManager<OpenIdConnectConfiguration>(configuration));
    }

    /// <summary>Sets the bearer token on every request of <paramref name="client"/>.</summary>
    public static HttpClient WithToken(this HttpClient client, string token)
    {
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}

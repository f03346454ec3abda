using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;
using Platform.ServiceDefaults.Security;
using Xunit;

namespace Platform.TestSupport;

/// <summary>
/// Tokens every platform door (the gateway and each service) must refuse with 401: each differs from a good
/// <see cref="TestTokens"/> token in one way an attacker or a misconfigured client would try.
/// </summary>
public static class RefusedTokens
{
    /// <summary>Case names for theory data; <see cref="Create"/> builds the token for one.</summary>
    public static TheoryData<string> Cases() => new()
    {
        "wrong-issuer", "wrong-audience", "alg-none", "hs256", "expired", "tampered-signature", "unknown-key", "id-token-type", "not-a-jwt",
    };

    public static string Create(string name)
    {
        var payload = new Dictionary<string, object>
        {
            [PlatformClaims.Subject] = Guid.NewGuid().ToString(),
            [PlatformClaims.Role] = PlatformRoles.Operator,
        };
        return name switch
        {
            "wrong-issuer" => TestTokens.Create(payload, issuer: "https://attacker.test/"),
            "wrong-audience" => TestTokens.Create(payload, audience: "some-other-api"),
            "alg-none" => Unsigned(payload),
            // A shared-secret token: the classic confusion where a verifier accepts HMAC over a public key.
            "hs256" => TestTokens.Create(payload, credentials: new SigningCredentials(
                new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32)) { KeyId = "test-key" }, SecurityAlgorithms.HmacSha256)),
            // Beyond the 30 s clock skew the services allow.
            "expired" => TestTokens.Create(payload, expires: DateTime.UtcNow.AddMinutes(-5)),
            "tampered-signature" => Tampered(),
            "unknown-key" => TestTokens.Create(payload, credentials: new SigningCredentials(
                new RsaSecurityKey(RSA.Create(2048)) { KeyId = "test-key" }, SecurityAlgorithms.RsaSha256)),
            // An ID token (typ JWT) is not an access token, even when signed by the right key.
            "id-token-type" => TestTokens.Create(payload, tokenType: "JWT"),
            "not-a-jwt" => "definitely-not-a-token",
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown case."),
        };
    }

    /// <summary>A good worker token whose payload was edited afterwards to claim the operator role.</summary>
    private static string Tampered()
    {
        var parts = TestTokens.ForWorker(Guid.NewGuid()).Split('.');
        var payload = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(parts[1]))
            .Replace($"\"{PlatformRoles.Worker}\"", $"\"{PlatformRoles.Operator}\"", StringComparison.Ordinal);
        return $"{parts[0]}.{Base64UrlEncoder.Encode(payload)}.{parts[2]}";
    }

    private static string Unsigned(Dictionary<string, object> payload)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = """{"alg":"none","typ":"at+jwt"}""";
        var body = System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object>(payload)
        {
            ["iss"] = TestTokens.Issuer,
            ["aud"] = TestTokens.Audience,
            ["iat"] = now,
            ["nbf"] = now,
            ["exp"] = now + 3600,
        });
        return $"{Base64UrlEncoder.Encode(header)}.{Base64UrlEncoder.Encode(body)}.";
    }
}

using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.Tokens;
using Platform.ServiceDefaults.Security;
using Platform.TestSupport;

namespace Platform.ServiceDefaults.Tests;

/// <summary>
/// The services and the gateway remember tokens they accepted for a minute at most (the signature check is a fifth
/// of the gateway's CPU per request); what they remember must never let through what a full check would refuse.
/// </summary>
public sealed class ValidatedTokenMemoryTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 26, 9, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _clock = new(Start);
    private readonly ValidatedTokenMemory _memory;

    public ValidatedTokenMemoryTests() => _memory = new ValidatedTokenMemory(_clock);

    /// <summary>The platform's checks, on the test clock, trusting <paramref name="keys"/> (the test key by default).</summary>
    private TokenValidationParameters Parameters(params SecurityKey[] keys) => new()
    {
        ValidIssuer = TestTokens.Issuer,
        ValidAudience = TestTokens.Audience,
        IssuerSigningKeys = keys.Length > 0 ? keys : [TestTokens.Credentials.Key],
        ValidAlgorithms = PlatformAuthentication.AcceptedAlgorithms,
        ValidTypes = [PlatformAuthentication.AccessTokenType],
        RequireExpirationTime = true,
        ClockSkew = TimeSpan.FromSeconds(30),
        LifetimeValidator = (_, expires, _, p) => expires is { } e && _clock.GetUtcNow().UtcDateTime < e + p.ClockSkew,
    };

    private static string TokenExpiringAt(DateTimeOffset expires) =>
        TestTokens.Create(new Dictionary<string, object> { [PlatformClaims.Subject] = Guid.NewGuid().ToString(), [PlatformClaims.Role] = PlatformRoles.Worker },
            expires: expires.UtcDateTime);

    [Fact]
    public async Task A_remembered_token_is_refused_once_its_lifetime_and_the_clock_skew_are_over()
    {
        var token = TokenExpiringAt(Start.AddSeconds(20));
        Assert.True((await _memory.ValidateTokenAsync(token, Parameters())).IsValid);

        _clock.Advance(TimeSpan.FromSeconds(45)); // 20 s of life and 25 of the 30 s skew
        Assert.True((await _memory.ValidateTokenAsync(token, Parameters())).IsValid);
        _clock.Advance(TimeSpan.FromSeconds(10));
        Assert.False((await _memory.ValidateTokenAsync(token, Parameters())).IsValid);
    }

    [Fact]
    public async Task A_token_signed_with_a_key_no_longer_trusted_is_refused_within_a_minute()
    {
        var token = TokenExpiringAt(Start.AddHours(1));
        Assert.True((await _memory.ValidateTokenAsync(token, Parameters())).IsValid);

        // Identity rotated its key and dropped the old one from its key set.
        var rotated = new RsaSecurityKey(RSA.Create(2048)) { KeyId = "rotated" };
        _clock.Advance(ValidatedTokenMemory.MaxAge);
        var result = await _memory.ValidateTokenAsync(token, Parameters(rotated));

        Assert.False(result.IsValid);
        Assert.IsAssignableFrom<SecurityTokenSignatureKeyNotFoundException>(result.Exception);
    }

    [Fact]
    public async Task A_changed_token_is_checked_in_full_even_after_the_genuine_one_was_accepted()
    {
        var token = TokenExpiringAt(Start.AddHours(1));
        Assert.True((await _memory.ValidateTokenAsync(token, Parameters())).IsValid);

        var parts = token.Split('.');
        var payload = Base64UrlEncoder.Decode(parts[1]).Replace(PlatformRoles.Worker, PlatformRoles.Operator, StringComparison.Ordinal);
        var raised = $"{parts[0]}.{Base64UrlEncoder.Encode(payload)}.{parts[2]}";

        Assert.False((await _memory.ValidateTokenAsync(raised, Parameters())).IsValid);
    }

    [Fact]
    public async Task Every_request_gets_its_own_user_so_what_one_adds_reaches_no_other()
    {
        var token = TokenExpiringAt(Start.AddHours(1));
        var first = await _memory.ValidateTokenAsync(token, Parameters());
        first.ClaimsIdentity.AddClaim(new Claim(PlatformClaims.Role, PlatformRoles.Operator));

        var second = await _memory.ValidateTokenAsync(token, Parameters());
        var third = await _memory.ValidateTokenAsync(token, Parameters());
        third.ClaimsIdentity.AddClaim(new Claim(PlatformClaims.Role, PlatformRoles.Operator));
        var fourth = await _memory.ValidateTokenAsync(token, Parameters());

        Assert.True(second.IsValid);
        Assert.Equal([PlatformRoles.Worker], second.ClaimsIdentity.FindAll(PlatformClaims.Role).Select(c => c.Value));
        Assert.Equal([PlatformRoles.Worker], fourth.ClaimsIdentity.FindAll(PlatformClaims.Role).Select(c => c.Value));
        Assert.Equal(first.ClaimsIdentity.FindFirst(PlatformClaims.Subject)!.Value, fourth.ClaimsIdentity.FindFirst(PlatformClaims.Subject)!.Value);
    }
}

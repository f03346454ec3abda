using System.Security.Claims;
using System.Collections.Concurrent;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Platform.ServiceDefaults.Security;

/// <summary>
/// Validates access tokens like <see cref="JsonWebTokenHandler"/> and remembers the ones it accepted for a short while,
/// so that an app sending the same token with every request pays for the signature check (an RSA verification and
/// the token's parsing: about a fifth of the gateway's CPU per proxied request) once a minute instead of every time.
/// </summary>
/// <remarks>
/// Only the exact token text that passed every check is remembered: a changed byte is a different token and is
/// checked in full. A remembered token is forgotten at <see cref="MaxAge"/> or when its own lifetime (with the
/// clock skew allowed) ends, whichever comes first, so an expired token is never accepted, and a signing key removed
/// from identity's key set stops being trusted within <see cref="MaxAge"/>. Each request gets its own copy of the
/// identity, so nothing one request adds to its user reaches another.
/// </remarks>
public sealed class ValidatedTokenMemory(TimeProvider clock) : JsonWebTokenHandler
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(1);
    private const int MaxTokens = 10_000;

    private readonly ConcurrentDictionary<string, Accepted> _accepted = new(StringComparer.Ordinal);

    public ValidatedTokenMemory() : this(TimeProvider.System) { }

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        var now = clock.GetUtcNow();
        if (_accepted.TryGetValue(token, out var accepted) && now < accepted.Until)
        {
            return accepted.Result();
        }
        var result = await base.ValidateTokenAsync(token, validationParameters);
        if (result.IsValid && result.SecurityToken is JsonWebToken jwt)
        {
            var until = new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero) + validationParameters.ClockSkew;
            if (now + MaxAge < until)
            {
                until = now + MaxAge;
            }
            if (_accepted.Count >= MaxTokens)
            {
                Forget(now);
            }
            // A copy: the identity handed to this request may still be changed by it.
            _accepted[token] = new Accepted(result.ClaimsIdentity.Clone(), jwt, result.Issuer, result.TokenType, until);
        }
        return result;
    }

    /// <summary>Drops the expired tokens, or all of them if that is not enough: memory stays bounded whatever arrives.</summary>
    private void Forget(DateTimeOffset now)
    {
        foreach (var (token, accepted) in _accepted)
        {
            if (now >= accepted.Until)
            {
                _accepted.TryRemove(token, out _);
            }
        }
        if (_accepted.Count >= MaxTokens)
        {
            _accepted.Clear();
        }
    }

    private sealed record Accepted(ClaimsIdentity Identity, JsonWebToken Token, string Issuer, string TokenType, DateTimeOffset Until)
    {
        public TokenValidationResult Result() => new()
        {
            IsValid = true,
            ClaimsIdentity = Identity.Clone(),
            SecurityToken = Token,
            Issuer = Issuer,
            TokenType = TokenType,
        };
    }
}

using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;
using Platform.Identity.Data;
using Platform.Identity.Domain;
using Platform.ServiceDefaults.Data;
using Platform.ServiceDefaults.Security;

namespace Platform.Identity.Application;

/// <summary>
/// The token server's keys: an RSA key that signs access tokens (published in the JWKS) and one that encrypts refresh
/// tokens. Created once in the identity database and loaded at every start, so a restart or a second replica signs
/// with the same key and the services' cached JWKS stays right. Runs after the migrations, before Kestrel listens.
/// </summary>
/// <remarks>
/// Production would keep these keys in a key vault or HSM and rotate them (publish the next key in the JWKS before
/// signing with it); here the private keys are encrypted with the service's data key before they reach the database.
/// </remarks>
internal sealed partial class KeyRing(IServiceScopeFactory scopes, PersonalDataProtector protector, TimeProvider clock, ILogger<KeyRing> logger)
    : IHostedService
{
    private RsaSecurityKey? _signing;
    private RsaSecurityKey? _encryption;

    public RsaSecurityKey Signing => _signing ?? throw new InvalidOperationException("The signing key is not loaded yet.");
    public RsaSecurityKey Encryption => _encryption ?? throw new InvalidOperationException("The encryption key is not loaded yet.");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _signing = await LoadOrCreateAsync(SigningKey.SigningUse, cancellationToken);
        _encryption = await LoadOrCreateAsync(SigningKey.EncryptionUse, cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task<RsaSecurityKey> LoadOrCreateAsync(string use, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
        var stored = await db.SigningKeys.AsNoTracking().FirstOrDefaultAsync(k => k.Use == use, ct);
        if (stored is null)
        {
            using var rsa = RSA.Create(2048);
            var created = SigningKey.Create(use, protector.Protect(Convert.ToBase64String(rsa.ExportPkcs8PrivateKey())), clock.GetUtcNow().ToDatabasePrecision());
            db.SigningKeys.Add(created);
            try
            {
                await db.SaveChangesAsync(ct);
                LogCreated(logger, use, created.KeyId);
                stored = created;
            }
            catch (DbUpdateException ex) when (ex.IsUniqueViolation())
            {
                // Another replica created it a moment ago: use that one.
                db.ChangeTracker.Clear();
                stored = await db.SigningKeys.AsNoTracking().FirstAsync(k => k.Use == use, ct);
            }
        }
        var key = RSA.Create();
        key.ImportPkcs8PrivateKey(Convert.FromBase64String(protector.Unprotect(stored.Material)), out _);
        return new RsaSecurityKey(key) { KeyId = stored.KeyId };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Created the token server's {Use} key {KeyId}")]
    private static partial void LogCreated(ILogger logger, string use, string keyId);
}

/// <summary>Hands the loaded keys to OpenIddict when its options are first built (at the first request).</summary>
internal sealed class KeyRingServerOptions(KeyRing keys) : IConfigureOptions<OpenIddictServerOptions>
{
    public void Configure(OpenIddictServerOptions options)
    {
        options.SigningCredentials.Add(new SigningCredentials(keys.Signing, SecurityAlgorithms.RsaSha256));
        options.EncryptionCredentials.Add(new EncryptingCredentials(keys.Encryption, SecurityAlgorithms.RsaOAEP, SecurityAlgorithms.Aes256CbcHmacSha512));
    }
}

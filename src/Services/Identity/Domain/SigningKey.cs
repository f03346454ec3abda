namespace Platform.Identity.Domain;

/// <summary>
/// A private key of the token server, kept in its database (encrypted) so that tokens and the published JWKS stay
/// valid across restarts and replicas. One per use: signing access tokens, encrypting refresh tokens.
/// </summary>
public sealed class SigningKey
{
    public const string SigningUse = "sig";
    public const string EncryptionUse = "enc";

    public Guid Id { get; private set; }
    public string Use { get; private set; } = "";
    /// <summary>PKCS#8 private key, encrypted with the service's data key.</summary>
    public string Material { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }

    private SigningKey() { }

    public static SigningKey Create(string use, string protectedMaterial, DateTimeOffset now) =>
        new() { Id = Guid.CreateVersion7(now), Use = use, Material = protectedMaterial, CreatedAt = now };

    /// <summary>The key id published in the JWKS (<c>kid</c>): stable for the life of the key.</summary>
    public string KeyId => Id.ToString("N")[..16];
}

using System.Security.Cryptography;
using System.Text;

namespace Platform.Partners.Domain;

/// <summary>
/// Signs deliveries per the Standard Webhooks specification: HMAC-SHA256 over "id.timestamp.body" with the
/// subscription's secret (<c>whsec_</c> + base64), sent as <c>webhook-signature: v1,&lt;base64&gt;</c>; during a
/// secret rotation both the new and the old secret sign, space-separated, so the agency can switch at its pace.
/// </summary>
public static class WebhookSignature
{
    public const string SecretPrefix = "whsec_";
    public const string IdHeader = "webhook-id";
    public const string TimestampHeader = "webhook-timestamp";
    public const string SignatureHeader = "webhook-signature";

    /// <summary>A new signing secret (24 random bytes), in the form Standard Webhooks libraries accept.</summary>
    public static string NewSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));

    public static string Sign(string webhookId, long timestamp, string body, IEnumerable<string> secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        var content = Encoding.UTF8.GetBytes($"{webhookId}.{timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture)}.{body}");
        return string.Join(' ', secrets.Select(secret => "v1," + Convert.ToBase64String(HMACSHA256.HashData(KeyOf(secret), content))));
    }

    private static byte[] KeyOf(string secret) =>
        Convert.FromBase64String(secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret[SecretPrefix.Length..] : secret);
}

using System.Security.Cryptography;
using Microsoft.Extensions.Compliance.Classification;
using Microsoft.Extensions.Compliance.Redaction;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Platform.ServiceDefaults.Security;

namespace Platform.ServiceDefaults.Telemetry;

/// <summary>The platform's data taxonomy for logs and telemetry.</summary>
public static class PlatformData
{
    public const string Taxonomy = "Platform";

    /// <summary>A person's name, phone number, ID number, or what they wrote (a case, a note): never in a log as it is.</summary>
    public static DataClassification Personal { get; } = new(Taxonomy, nameof(Personal));
}

/// <summary>
/// Marks a <c>[LoggerMessage]</c> parameter (or a logged property) as personal data: every log sink receives a keyed
/// pseudonym (HMAC) instead, the same for the same value within a deployment, so lines about one person can still be
/// followed without showing who.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.ReturnValue)]
public sealed class PersonalDataAttribute : DataClassificationAttribute
{
    public PersonalDataAttribute() : base(PlatformData.Personal)
    {
    }
}

public static class LogRedactionExtensions
{
    /// <summary>
    /// Redaction of classified values in every log sink (console, OpenTelemetry). The pseudonym key is derived from
    /// <c>Platform:PersonalData:Key</c> (the key every service already has), so no new secret is needed; without it
    /// personal values are erased.
    /// </summary>
    public static TBuilder AddLogRedaction<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var masterKey = builder.Configuration[PersonalDataProtector.KeySetting];
        builder.Services.AddRedaction(redaction =>
        {
            if (TryDeriveKey(masterKey, out var key))
            {
                redaction.SetHmacRedactor(o =>
                {
                    o.KeyId = 1;
                    o.Key = key;
                }, new DataClassificationSet(PlatformData.Personal));
            }
            else
            {
                redaction.SetRedactor<ErasingRedactor>(new DataClassificationSet(PlatformData.Personal));
            }
            // A value classified in another taxonomy (a library's) is not shown either.
            redaction.SetFallbackRedactor<ErasingRedactor>();
        });
        builder.Logging.EnableRedaction();
        return builder;
    }

    private static bool TryDeriveKey(string? masterKey, out string key)
    {
        key = "";
        if (string.IsNullOrWhiteSpace(masterKey))
        {
            return false;
        }
        try
        {
            var bytes = Convert.FromBase64String(masterKey);
            // A key of its own for log pseudonyms: they never help anyone recompute the blind indexes in the database.
            key = Convert.ToBase64String(HKDF.DeriveKey(HashAlgorithmName.SHA256, bytes, 32, info: "platform-log-redaction"u8.ToArray()));
            return true;
        }
        catch (FormatException)
        {
            // The protector refuses a malformed key at start where it is used; logs still erase.
            return false;
        }
    }
}

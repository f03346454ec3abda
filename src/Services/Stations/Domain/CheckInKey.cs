using System.Security.Cryptography;
using System.Text;

namespace Platform.Stations.Domain;

/// <summary>Reads the key the check-in codes are signed with: <c>Platform:Stations:CheckInKey</c>, base64, at least 32 bytes.</summary>
public static class CheckInKey
{
    public const string Setting = "Platform:Stations:CheckInKey";

    public static byte[] From(IConfiguration configuration, IHostEnvironment environment)
    {
        var configured = configuration[Setting];
        if (string.IsNullOrWhiteSpace(configured))
        {
            if (environment.IsDevelopment() || environment.IsEnvironment("Test"))
            {
                // Local runs need no set-up: a key derived from the machine's content root is stable across restarts, so
                // printed codes keep working. Never used elsewhere: a guessable key would let anyone forge check-ins.
                return SHA256.HashData(Encoding.UTF8.GetBytes($"stations-development-check-in-key:{environment.ContentRootPath}"));
            }
            throw new InvalidOperationException(
                $"{Setting} is not set. The stations service signs the check-in QR codes with it: give it a random key of at least " +
                $"{CheckInCodes.MinKeyBytes} bytes in base64 (e.g. `openssl rand -base64 32`), the same on every instance and kept across deployments " +
                "(changing it invalidates every posted code).");
        }
        byte[] key;
        try
        {
            key = Convert.FromBase64String(configured.Trim());
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"{Setting} is not valid base64.");
        }
        return key.Length >= CheckInCodes.MinKeyBytes
            ? key
            : throw new InvalidOperationException($"{Setting} has {key.Length} bytes; at least {CheckInCodes.MinKeyBytes} are needed.");
    }
}

using System.Security.Cryptography;
using System.Text;

namespace Platform.Stations.Domain;

public enum CodeCheck
{
    Valid,
    /// <summary>Not a code of this service (malformed, or the signature does not match).</summary>
    Forged,
    /// <summary>A genuine code, of another station.</summary>
    OtherStation,
}

/// <summary>
/// The QR code posted at each station: <c>RS1.&lt;station id&gt;.&lt;HMAC-SHA256 signature&gt;</c>, signed with the
/// service's key, so that an app cannot check in at a station by inventing a code, nor with another station's code.
/// </summary>
public sealed class CheckInCodes
{
    public const string Prefix = "RS1";
    public const int MinKeyBytes = 32;
    public const int MaxCodeLength = 200;
    private readonly byte[] _key;

    public CheckInCodes(byte[] key)
    {
        if (key.Length < MinKeyBytes)
        {
            throw new ArgumentException($"The check-in key must have at least {MinKeyBytes} bytes.", nameof(key));
        }
        _key = key;
    }

    public string For(Guid stationId) => $"{Prefix}.{stationId:N}.{Sign(stationId)}";

    public CodeCheck Check(string? code, Guid stationId)
    {
        var parts = (code ?? "").Trim().Split('.');
        if (parts is not [Prefix, var id, var signature] || !Guid.TryParseExact(id, "N", out var codeStation))
        {
            return CodeCheck.Forged;
        }
        var expected = Encoding.ASCII.GetBytes(Sign(codeStation));
        if (!CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature)))
        {
            return CodeCheck.Forged;
        }
        return codeStation == stationId ? CodeCheck.Valid : CodeCheck.OtherStation;
    }

    private string Sign(Guid stationId)
    {
        var mac = HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes($"{Prefix}.{stationId:N}"));
        return Convert.ToBase64String(mac).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}

using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Platform.ServiceDefaults.Security;

/// <summary>
/// Encrypts personal data (names, phone numbers, ID numbers, case descriptions and notes) before it reaches the
/// database, with AES-256-GCM under a key the database never sees, and computes blind indexes (keyed HMAC) so that
/// an encrypted value can still be found by equality (e.g. a phone number) without storing it in the clear.
/// </summary>
/// <remarks>
/// The key is <c>Platform:PersonalData:Key</c> (base64, 32 bytes): the app host generates it once and keeps it with
/// the local data; tests give each run its own. Stored form: <c>v1:</c> + base64(nonce | ciphertext | tag), so a
/// later key version can be introduced without rewriting old rows first.
/// </remarks>
public sealed class PersonalDataProtector
{
    public const string KeySetting = "Platform:PersonalData:Key";
    private const string Version = "v1:";
    private const int NonceSize = 12;
    private const int TagSize = 16;

    private readonly byte[] _encryptionKey;
    private readonly byte[] _indexKey;

    public PersonalDataProtector(byte[] masterKey)
    {
        ArgumentNullException.ThrowIfNull(masterKey);
        if (masterKey.Length != 32)
        {
            throw new ArgumentException("The personal-data key must be 32 bytes.", nameof(masterKey));
        }
        // Separate keys for encryption and for the blind index, derived from the one configured secret.
        _encryptionKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, masterKey, 32, info: "platform-personal-data-encryption"u8.ToArray());
        _indexKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, masterKey, 32, info: "platform-personal-data-index"u8.ToArray());
    }

    /// <summary>Reads the key from configuration; a missing or malformed key stops the service at start.</summary>
    public static PersonalDataProtector FromConfiguration(IConfiguration configuration)
    {
        var value = configuration[KeySetting];
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new InvalidOperationException($"{KeySetting} is not set: personal data cannot be stored without its encryption key.");
        }
        try
        {
            return new PersonalDataProtector(Convert.FromBase64String(value));
        }
        catch (FormatException ex)
        {
            throw new InvalidOperationException($"{KeySetting} must be 32 bytes in base64.", ex);
        }
    }

    /// <summary>A fresh random key in the configured form (base64 of 32 bytes).</summary>
    public static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public string Protect(string plaintext)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        var plain = Encoding.UTF8.GetBytes(plaintext);
        var output = new byte[NonceSize + plain.Length + TagSize];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_encryptionKey, TagSize);
        aes.Encrypt(nonce, plain, output.AsSpan(NonceSize, plain.Length), output.AsSpan(NonceSize + plain.Length, TagSize));
        return Version + Convert.ToBase64String(output);
    }

    /// <summary>Decrypts a value written by <see cref="Protect"/>; a tampered value throws <see cref="CryptographicException"/>.</summary>
    public string Unprotect(string stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        if (!stored.StartsWith(Version, StringComparison.Ordinal))
        {
            throw new CryptographicException("Unknown personal-data format.");
        }
        var input = Convert.FromBase64String(stored[Version.Length..]);
        if (input.Length < NonceSize + TagSize)
        {
            throw new CryptographicException("Personal data is truncated.");
        }
        var cipherLength = input.Length - NonceSize - TagSize;
        var plain = new byte[cipherLength];
        using var aes = new AesGcm(_encryptionKey, TagSize);
        aes.Decrypt(input.AsSpan(0, NonceSize), input.AsSpan(NonceSize, cipherLength), input.AsSpan(NonceSize + cipherLength, TagSize), plain);
        return Encoding.UTF8.GetString(plain);
    }

    /// <summary>
    /// A keyed hash of <paramref name="value"/> for equality lookups and unique constraints over encrypted columns
    /// (normalise the value first, e.g. digits only for a phone number).
    /// </summary>
    public string BlindIndex(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Convert.ToBase64String(HMACSHA256.HashData(_indexKey, Encoding.UTF8.GetBytes(value)));
    }

    /// <summary>An EF Core converter that stores a string property encrypted: <c>property.HasConversion(protector.Converter)</c>.</summary>
    public ValueConverter<string, string> Converter => new(plain => Protect(plain), stored => Unprotect(stored));
}

/// <summary>How personal data is shown where the full value is not needed (lists, other users' views).</summary>
public static class Mask
{
    /// <summary><c>13812345678</c> becomes <c>138****5678</c>.</summary>
    public static string Phone(string phone)
    {
        ArgumentNullException.ThrowIfNull(phone);
        return phone.Length <= 7 ? new string('*', phone.Length) : string.Concat(phone.AsSpan(0, 3), "****", phone.AsSpan(phone.Length - 4));
    }

    /// <summary><c>张三丰</c> becomes <c>张**</c>: the family name only.</summary>
    public static string Name(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var letters = name.EnumerateRunes().ToArray();
        return letters.Length == 0 ? "" : letters[0] + new string('*', Math.Max(1, letters.Length - 1));
    }

    /// <summary>An 18-character resident ID number keeps its first 3 and last 2 characters: <c>110***********123X</c> style.</summary>
    public static string IdNumber(string idNumber)
    {
        ArgumentNullException.ThrowIfNull(idNumber);
        return idNumber.Length <= 5 ? new string('*', idNumber.Length) : string.Concat(idNumber.AsSpan(0, 3), new string('*', idNumber.Length - 5), idNumber.AsSpan(idNumber.Length - 2));
    }
}

public static class PersonalDataExtensions
{
    /// <summary>Registers the <see cref="PersonalDataProtector"/> of this service, keyed from configuration.</summary>
    public static TBuilder AddPersonalDataProtection<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddSingleton(_ => PersonalDataProtector.FromConfiguration(builder.Configuration));
        return builder;
    }
}

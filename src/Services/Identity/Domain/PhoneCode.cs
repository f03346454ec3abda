using System.Security.Cryptography;
using Platform.ServiceDefaults.Data;

namespace Platform.Identity.Domain;

/// <summary>What checking a one-time code found.</summary>
public enum CodeCheck
{
    Accepted,
    Wrong,
    Expired,
    AlreadyUsed,
    TooManyAttempts,
}

/// <summary>
/// A six-digit one-time code sent to a worker's phone: valid for five minutes, usable once, and dead after five
/// wrong attempts. Neither the phone number nor the code is stored: the phone as a blind index (to find the codes
/// of a number), the code as a keyed hash bound to this code's id.
/// </summary>
public sealed class PhoneCode
{
    public const int Digits = 6;
    public const int MaxWrongAttempts = 5;
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    public Guid Id { get; private set; }
    /// <summary>Blind index of the normalized phone number.</summary>
    public string PhoneIndex { get; private set; } = "";
    public string CodeHash { get; private set; } = "";
    public DateTimeOffset IssuedAt { get; private set; }
    public DateTimeOffset ExpiresAt { get; private set; }
    public int WrongAttempts { get; private set; }
    public DateTimeOffset? UsedAt { get; private set; }
    /// <summary>Row version (PostgreSQL xmin): two attempts checked at once cannot both count as the first.</summary>
    public uint Version { get; private set; }

    private PhoneCode() { }

    /// <summary>A fresh random code for a phone; returns the entity and the code in clear (to send, never to store).</summary>
    /// <param name="hash">Keyed hash over (code id, code), e.g. the personal-data blind index.</param>
    public static (PhoneCode Code, string Plain) Issue(string phoneIndex, DateTimeOffset now, Func<string, string> hash)
    {
        ArgumentNullException.ThrowIfNull(hash);
        now = now.ToDatabasePrecision();
        var plain = RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
        var code = new PhoneCode
        {
            Id = Guid.CreateVersion7(now),
            PhoneIndex = phoneIndex,
            IssuedAt = now,
            ExpiresAt = now + Lifetime,
        };
        code.CodeHash = hash(HashInput(code.Id, plain));
        return (code, plain);
    }

    /// <summary>
    /// Checks a code the worker typed. A wrong code counts as an attempt; after <see cref="MaxWrongAttempts"/> the
    /// code is dead even for the right digits. The right code is accepted once.
    /// </summary>
    public CodeCheck Check(string? typed, DateTimeOffset now, Func<string, string> hash)
    {
        ArgumentNullException.ThrowIfNull(hash);
        if (UsedAt is not null)
        {
            return CodeCheck.AlreadyUsed;
        }
        if (WrongAttempts >= MaxWrongAttempts)
        {
            return CodeCheck.TooManyAttempts;
        }
        if (now >= ExpiresAt)
        {
            return CodeCheck.Expired;
        }
        var matches = typed is { Length: Digits } && typed.All(char.IsAsciiDigit)
                      && CryptographicOperations.FixedTimeEquals(
                          System.Text.Encoding.ASCII.GetBytes(hash(HashInput(Id, typed))),
                          System.Text.Encoding.ASCII.GetBytes(CodeHash));
        if (!matches)
        {
            WrongAttempts++;
            return CodeCheck.Wrong;
        }
        UsedAt = now.ToDatabasePrecision();
        return CodeCheck.Accepted;
    }

    private static string HashInput(Guid id, string code) => $"phone-code:{id:N}:{code}";
}

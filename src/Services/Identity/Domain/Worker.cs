using Platform.ServiceDefaults.Data;

namespace Platform.Identity.Domain;

/// <summary>
/// A courier, rider or driver known by a phone number. The id is the worker id every service keys the worker's
/// records by; it stays the same for the phone number for ever. The number itself is kept encrypted.
/// </summary>
public sealed class Worker
{
    public Guid Id { get; private set; }
    /// <summary>Blind index of the normalized phone number: finds the worker without decrypting anything.</summary>
    public string PhoneIndex { get; private set; } = "";
    /// <summary>The phone number, encrypted (AES-GCM) by the personal-data protector.</summary>
    public string Phone { get; private set; } = "";
    public DateTimeOffset RegisteredAt { get; private set; }
    public DateTimeOffset LastSignedInAt { get; private set; }

    private Worker() { }

    public static Worker Register(string phoneIndex, string protectedPhone, DateTimeOffset now)
    {
        now = now.ToDatabasePrecision();
        return new Worker { Id = Guid.CreateVersion7(now), PhoneIndex = phoneIndex, Phone = protectedPhone, RegisteredAt = now, LastSignedInAt = now };
    }

    public void SignedIn(DateTimeOffset now) => LastSignedInAt = now.ToDatabasePrecision();
}

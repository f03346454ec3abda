using System.Text.RegularExpressions;
using Platform.Contracts;
using Platform.ServiceDefaults.Data;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.Security;
using Platform.ServiceDefaults.Validation;

namespace Platform.Volunteers.Domain;

public enum Occupation
{
    Courier,
    FoodDeliveryRider,
    RideHailDriver,
    LiveStreamSeller,
}

/// <summary>What a worker gives about themself; the same shape for registering and for updating.</summary>
public sealed record WorkerDetails(
    string? Name, string? Phone, string? IdNumber, Occupation? Occupation, Guid? EnterpriseId, bool? PartyMember, DateOnly? PartyJoinedOn);

/// <summary>A worker's personal fields in the clear: only ever built for the worker themself (or masked for staff).</summary>
public sealed record PersonalFields(string Name, string Phone, string? IdNumber);

/// <summary>
/// A courier, rider, driver or live-stream seller (新就业群体) registered with the volunteers service. The id is the
/// worker id from identity (the token's subject). Name, phone and ID number are stored encrypted; the phone also as a
/// blind index so that one phone cannot register twice.
/// </summary>
public sealed partial class Worker
{
    public const int NameMaxLength = 50;

    public Guid Id { get; private set; }
    public string NameCipher { get; private set; } = "";
    public string PhoneCipher { get; private set; } = "";
    public string PhoneIndex { get; private set; } = "";
    public string? IdNumberCipher { get; private set; }
    public Occupation Occupation { get; private set; }
    public Guid EnterpriseId { get; private set; }
    public bool PartyMember { get; private set; }
    public DateOnly? PartyJoinedOn { get; private set; }
    /// <summary>District of the worker's enterprise, copied at registration for statistics and events.</summary>
    public string? District { get; private set; }
    public DateTimeOffset RegisteredAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }

    private Worker() { }

    /// <summary>
    /// Registers the signed-in worker. <paramref name="enterprise"/> is the local copy of the enterprise named in the
    /// details, or null when it is not known here (refused).
    /// </summary>
    public static Validated<Worker> Register(Guid workerId, WorkerDetails details, LocalEnterprise? enterprise, PersonalDataProtector protector, DateTimeOffset now)
    {
        now = now.ToDatabasePrecision();
        var worker = new Worker { Id = workerId, RegisteredAt = now };
        var errors = worker.Apply(details, enterprise, protector, now);
        return errors.Any ? Validated<Worker>.Invalid(errors) : Validated<Worker>.Ok(worker);
    }

    /// <summary>Replaces the profile with <paramref name="details"/>; nothing changes when any field is invalid.</summary>
    public Dictionary<string, string[]> Update(WorkerDetails details, LocalEnterprise? enterprise, PersonalDataProtector protector, DateTimeOffset now)
    {
        var candidate = (Worker)MemberwiseClone();
        var errors = candidate.Apply(details, enterprise, protector, now.ToDatabasePrecision());
        if (errors.Any)
        {
            return errors.ToDictionary();
        }
        NameCipher = candidate.NameCipher;
        PhoneCipher = candidate.PhoneCipher;
        PhoneIndex = candidate.PhoneIndex;
        IdNumberCipher = candidate.IdNumberCipher;
        Occupation = candidate.Occupation;
        EnterpriseId = candidate.EnterpriseId;
        PartyMember = candidate.PartyMember;
        PartyJoinedOn = candidate.PartyJoinedOn;
        District = candidate.District;
        UpdatedAt = candidate.UpdatedAt;
        return [];
    }

    private FieldErrors Apply(WorkerDetails details, LocalEnterprise? enterprise, PersonalDataProtector protector, DateTimeOffset now)
    {
        var errors = new FieldErrors();
        var name = errors.Text("name", details.Name, NameMaxLength);
        var phone = NormalizePhone(errors, details.Phone);
        var idNumber = NormalizeIdNumber(errors, details.IdNumber);
        var occupation = errors.Required("occupation", details.Occupation);
        var partyMember = errors.Required("partyMember", details.PartyMember);
        if (details.EnterpriseId is null)
        {
            errors.Add("enterpriseId", "enterpriseId is required.");
        }
        else if (enterprise is null || enterprise.Id != details.EnterpriseId)
        {
            errors.Add("enterpriseId", "No enterprise with this id is registered.");
        }
        if (partyMember && details.PartyJoinedOn is null)
        {
            errors.Add("partyJoinedOn", "partyJoinedOn is required for a Party member.");
        }
        else if (!partyMember && details.PartyJoinedOn is not null)
        {
            errors.Add("partyJoinedOn", "partyJoinedOn is only given for a Party member.");
        }
        else if (details.PartyJoinedOn is { } joined && joined > DateOnly.FromDateTime(now.UtcDateTime.AddDays(1)))
        {
            errors.Add("partyJoinedOn", "partyJoinedOn cannot be in the future.");
        }
        if (errors.Any)
        {
            return errors;
        }
        NameCipher = protector.Protect(name);
        PhoneCipher = protector.Protect(phone);
        PhoneIndex = protector.BlindIndex(phone);
        IdNumberCipher = idNumber is null ? null : protector.Protect(idNumber);
        Occupation = occupation;
        EnterpriseId = enterprise!.Id;
        PartyMember = partyMember;
        PartyJoinedOn = details.PartyJoinedOn;
        District = enterprise.District;
        UpdatedAt = now;
        return errors;
    }

    public PersonalFields Reveal(PersonalDataProtector protector) =>
        new(protector.Unprotect(NameCipher), protector.Unprotect(PhoneCipher), IdNumberCipher is null ? null : protector.Unprotect(IdNumberCipher));

    /// <summary>The personal fields as every list shows them.</summary>
    public PersonalFields Masked(PersonalDataProtector protector)
    {
        var clear = Reveal(protector);
        return new(Mask.Name(clear.Name), Mask.Phone(clear.Phone), clear.IdNumber is null ? null : Mask.IdNumber(clear.IdNumber));
    }

    public WorkerRegistered ToEvent() => new(Id, KebabEnum.Name(Occupation), EnterpriseId, PartyMember, District, RegisteredAt);

    /// <summary>A mainland mobile number: 11 digits starting with 1; spaces, dashes and a +86 prefix are dropped.</summary>
    public static string NormalizePhone(FieldErrors errors, string? phone)
    {
        if (string.IsNullOrWhiteSpace(phone))
        {
            errors.Add("phone", "phone is required.");
            return "";
        }
        var digits = phone.Trim().Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        if (digits.StartsWith("+86", StringComparison.Ordinal))
        {
            digits = digits[3..];
        }
        if (!MobilePhone().IsMatch(digits))
        {
            errors.Add("phone", "phone must be an 11-digit mainland mobile number starting with 1.");
        }
        return digits;
    }

    /// <summary>An 18-character resident ID number (GB 11643) with its ISO 7064 MOD 11-2 check character.</summary>
    public static string? NormalizeIdNumber(FieldErrors errors, string? idNumber)
    {
        if (string.IsNullOrWhiteSpace(idNumber))
        {
            return null;
        }
        var value = idNumber.Trim().ToUpperInvariant();
        if (!ResidentId().IsMatch(value) || value[17] != IdCheckCharacter(value))
        {
            errors.Add("idNumber", "idNumber must be an 18-character resident ID number with a valid check character.");
        }
        return value;
    }

    private static char IdCheckCharacter(string value)
    {
        int[] weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            sum += (value[i] - '0') * weights[i];
        }
        return "10X98765432"[sum % 11];
    }

    [GeneratedRegex("^1[3-9][0-9]{9}$")]
    private static partial Regex MobilePhone();

    [GeneratedRegex("^[0-9]{17}[0-9X]$")]
    private static partial Regex ResidentId();
}

using Platform.ServiceDefaults.Data;
using Platform.ServiceDefaults.Validation;

namespace Platform.Rights.Domain;

/// <summary>
/// A legal worker or counsellor in the rights team's register, kept by supervisors. Keyed by the professional's
/// user id (the token subject): tokens carry no specialty, the register is where assignment learns it.
/// </summary>
public sealed class Professional
{
    public const int NameMaxLength = 100;

    public Guid Id { get; private set; }
    /// <summary>Personal data: stored encrypted.</summary>
    public string Name { get; private set; } = "";
    public Specialty Specialty { get; private set; }
    public string? District { get; private set; }
    /// <summary>Only active professionals receive new cases.</summary>
    public bool Active { get; private set; }
    public DateTimeOffset RegisteredAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }

    private Professional() { }

    public static Validated<Professional> Register(Guid id, string? name, Specialty? specialty, string? district, bool? active, DateTimeOffset now)
    {
        var professional = new Professional { Id = id, RegisteredAt = now.ToDatabasePrecision() };
        var errors = professional.Apply(name, specialty, district, active, now);
        if (id == Guid.Empty)
        {
            errors.Add("id", "id must be the professional's user id, not the empty id.");
        }
        return errors.Any ? Validated<Professional>.Invalid(errors) : Validated<Professional>.Ok(professional);
    }

    /// <summary>Changes the entry; the specialty only affects assignments made from now on.</summary>
    public FieldErrors Update(string? name, Specialty? specialty, string? district, bool? active, DateTimeOffset now)
    {
        // Validate on a copy so that a refused update leaves the tracked entity untouched.
        var probe = new Professional();
        var errors = probe.Apply(name, specialty, district, active, now);
        if (!errors.Any)
        {
            Apply(name, specialty, district, active, now);
        }
        return errors;
    }

    private FieldErrors Apply(string? name, Specialty? specialty, string? district, bool? active, DateTimeOffset now)
    {
        var errors = new FieldErrors();
        Name = errors.Text("name", name, NameMaxLength);
        Specialty = errors.Required("specialty", specialty);
        District = errors.OptionalText("district", district, RightsCase.DistrictMaxLength);
        Active = active ?? true;
        UpdatedAt = now.ToDatabasePrecision();
        return errors;
    }
}

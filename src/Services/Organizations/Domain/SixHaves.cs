using Platform.ServiceDefaults.Data;
using Platform.ServiceDefaults.Validation;

namespace Platform.Organizations.Domain;

/// <summary>The "six haves" (六有) standard for an organization's premises.</summary>
public enum SixHavesItem
{
    Place,
    Facilities,
    Sign,
    Flag,
    Books,
    Rules,
}

/// <summary>Evidence for one of the six haves of one organization, and the date it was verified on site (if it was).</summary>
public sealed class SixHavesCheck
{
    public const int EvidenceMaxLength = 1000;

    public Guid OrganizationId { get; private set; }
    public SixHavesItem Item { get; private set; }
    public string Evidence { get; private set; } = "";
    public DateOnly? VerifiedOn { get; private set; }
    public DateTimeOffset RecordedAt { get; private set; }

    private SixHavesCheck() { }

    /// <summary>A new check for an established organization (unverified until <see cref="Record"/> gives a date).</summary>
    public static SixHavesCheck For(PartyOrganization organization, SixHavesItem item) => new() { OrganizationId = organization.Id, Item = item };

    /// <summary>Records the evidence and, when checked on site, the verification date (not in the future, not before the founding).</summary>
    public Refusal? Record(PartyOrganization organization, string? evidence, DateOnly? verifiedOn, DateOnly today, DateTimeOffset now)
    {
        if (!organization.IsEstablished)
        {
            return Refusal.Conflict("Only an established organization is assessed.", $"{organization.Name} is {ServiceDefaults.Http.KebabEnum.Name(organization.Status)}.");
        }
        var errors = new FieldErrors();
        var text = errors.Text("evidence", evidence, EvidenceMaxLength);
        if (verifiedOn > today)
        {
            errors.Add("verifiedOn", "verifiedOn cannot be in the future.");
        }
        if (verifiedOn < organization.ApprovedOn)
        {
            errors.Add("verifiedOn", $"verifiedOn cannot be before the organization was established ({organization.ApprovedOn:yyyy-MM-dd}).");
        }
        if (errors.Any)
        {
            return Refusal.Invalid(errors);
        }
        Evidence = text;
        VerifiedOn = verifiedOn;
        RecordedAt = now.ToDatabasePrecision();
        return null;
    }

    /// <summary>What is still missing: the items without a verified check. Compliant when nothing is.</summary>
    public static IReadOnlyList<SixHavesItem> Missing(IEnumerable<SixHavesCheck> checks)
    {
        var verified = checks.Where(c => c.VerifiedOn is not null).Select(c => c.Item).ToHashSet();
        return [.. Enum.GetValues<SixHavesItem>().Where(i => !verified.Contains(i))];
    }
}

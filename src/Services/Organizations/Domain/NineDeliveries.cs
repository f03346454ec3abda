using Platform.ServiceDefaults.Data;
using Platform.ServiceDefaults.Validation;

namespace Platform.Organizations.Domain;

/// <summary>The "nine deliveries" (九送) a new organization receives.</summary>
public enum DeliveryItem
{
    PartyFlag,
    PartyBadges,
    NationalFlag,
    Books,
    Nameplate,
    RulesChart,
    Seal,
    PoliticalBirthdayCards,
    WorkManuals,
}

/// <summary>One of the nine deliveries made to an organization.</summary>
public sealed class Delivery
{
    public const int NoteMaxLength = 500;

    public Guid OrganizationId { get; private set; }
    public DeliveryItem Item { get; private set; }
    public DateOnly DeliveredOn { get; private set; }
    public string? Note { get; private set; }
    public DateTimeOffset RecordedAt { get; private set; }

    private Delivery() { }

    /// <summary>Records a delivery to an established organization, on or after its founding and not in the future.</summary>
    public static Refusal? Record(PartyOrganization organization, DeliveryItem? item, DateOnly? deliveredOn, string? note, DateOnly today, DateTimeOffset now, out Delivery? delivery)
    {
        delivery = null;
        if (!organization.IsEstablished)
        {
            return Refusal.Conflict("Deliveries go to established organizations only.", $"{organization.Name} is {ServiceDefaults.Http.KebabEnum.Name(organization.Status)}.");
        }
        var errors = new FieldErrors();
        var what = errors.Required("item", item);
        var on = errors.Required("deliveredOn", deliveredOn);
        var text = errors.OptionalText("note", note, NoteMaxLength);
        if (deliveredOn > today)
        {
            errors.Add("deliveredOn", "deliveredOn cannot be in the future.");
        }
        if (deliveredOn < organization.ApprovedOn)
        {
            errors.Add("deliveredOn", $"deliveredOn cannot be before the organization was established ({organization.ApprovedOn:yyyy-MM-dd}).");
        }
        if (errors.Any)
        {
            return Refusal.Invalid(errors);
        }
        delivery = new Delivery { OrganizationId = organization.Id, Item = what, DeliveredOn = on, Note = text, RecordedAt = now.ToDatabasePrecision() };
        return null;
    }

    /// <summary>What has not been delivered yet.</summary>
    public static IReadOnlyList<DeliveryItem> Outstanding(IEnumerable<Delivery> delivered)
    {
        var done = delivered.Select(d => d.Item).ToHashSet();
        return [.. Enum.GetValues<DeliveryItem>().Where(i => !done.Contains(i))];
    }
}

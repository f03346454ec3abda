using Platform.ServiceDefaults.Data;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.Validation;

namespace Platform.Rights.Domain;

public enum ActivityKind
{
    JobFair,
    HealthClinic,
    Social,
    Visit,
    Other,
}

public enum ActivityPartner
{
    HrBureau,
    TradeUnion,
    RedCross,
    WomensFederation,
    Hospital,
    University,
    Other,
}

public enum ActivityStatus
{
    Scheduled,
    Held,
    Cancelled,
}

/// <summary>A job fair, health clinic, social or visit held with partner agencies for workers.</summary>
public sealed class JointActivity
{
    public const int TitleMaxLength = 200;
    public const int LocationMaxLength = 200;
    public const int MaxParticipants = 100_000;

    public Guid Id { get; private set; }
    public string Title { get; private set; } = "";
    public ActivityKind Kind { get; private set; }
    public List<ActivityPartner> Partners { get; private set; } = [];
    public DateTimeOffset ScheduledAt { get; private set; }
    public string Location { get; private set; } = "";
    public string? District { get; private set; }
    public ActivityStatus Status { get; private set; }
    public int? Participants { get; private set; }
    public DateTimeOffset? HeldAt { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public RecordSource Source { get; private set; }
    /// <summary>The activity's id in the ledger it was imported from (unique): importing it again finds it.</summary>
    public string? ExternalId { get; private set; }

    private JointActivity() { }

    /// <summary>
    /// An activity of the earlier ledger that took place: scheduled and held at <paramref name="heldAt"/> (in the past,
    /// at most <see cref="FieldErrors.MaxHistoryAge"/> ago) with its participants, through the same rules as a live one.
    /// Errors name the request's fields (<c>heldAt</c> for the time).
    /// </summary>
    public static Validated<JointActivity> Imported(string? externalId, string? title, ActivityKind? kind, IReadOnlyList<ActivityPartner>? partners,
        DateTimeOffset? heldAt, string? location, string? district, int? participants, DateTimeOffset now)
    {
        now = now.ToDatabasePrecision();
        var errors = new FieldErrors();
        var id = errors.Text("externalId", externalId, CaseImport.ExternalIdMaxLength);
        var at = errors.PastTime("heldAt", heldAt, now);
        // Scheduled as of the moment it began, so the rule against scheduling in the past holds as it did then.
        var scheduled = Schedule(title, kind, partners, heldAt is null ? null : at, location, district, heldAt is null ? now : at);
        foreach (var (name, messages) in scheduled.Errors.Where(e => e.Key != "scheduledAt"))
        {
            foreach (var message in messages)
            {
                errors.Add(name, message);
            }
        }
        if (participants is null)
        {
            errors.Add("participants", "participants is required: how many workers came.");
        }
        else if (scheduled.Value is { } activity && activity.Hold(participants, at) is { } refused)
        {
            foreach (var (name, messages) in refused.Errors ?? new Dictionary<string, string[]> { ["heldAt"] = [refused.Title] })
            {
                foreach (var message in messages)
                {
                    errors.Add(name, message);
                }
            }
        }
        if (errors.Any)
        {
            return Validated<JointActivity>.Invalid(errors);
        }
        var imported = scheduled.Value!;
        imported.Source = RecordSource.Imported;
        imported.ExternalId = id;
        return Validated<JointActivity>.Ok(imported);
    }

    public static Validated<JointActivity> Schedule(string? title, ActivityKind? kind, IReadOnlyList<ActivityPartner>? partners,
        DateTimeOffset? scheduledAt, string? location, string? district, DateTimeOffset now)
    {
        now = now.ToDatabasePrecision();
        var errors = new FieldErrors();
        var validTitle = errors.Text("title", title, TitleMaxLength);
        var validKind = errors.Required("kind", kind);
        var validLocation = errors.Text("location", location, LocationMaxLength);
        var validDistrict = errors.OptionalText("district", district, RightsCase.DistrictMaxLength);
        var when = errors.Required("scheduledAt", scheduledAt);
        if (scheduledAt is not null && when < now)
        {
            errors.Add("scheduledAt", "scheduledAt must not be in the past.");
        }
        if (partners is null || partners.Count == 0)
        {
            errors.Add("partners", "partners must name at least one partner.");
        }
        if (errors.Any)
        {
            return Validated<JointActivity>.Invalid(errors);
        }
        return Validated<JointActivity>.Ok(new JointActivity
        {
            Id = Guid.CreateVersion7(now),
            Title = validTitle,
            Kind = validKind,
            Partners = [.. partners!.Distinct().Order()],
            ScheduledAt = when.ToDatabasePrecision(),
            Location = validLocation,
            District = validDistrict,
            Status = ActivityStatus.Scheduled,
            CreatedAt = now,
        });
    }

    /// <summary>Records that it took place and how many workers came; not before its start.</summary>
    public Refusal? Hold(int? participants, DateTimeOffset now)
    {
        if (participants is null)
        {
            return Refusal.Invalid("participants", "participants is required.");
        }
        if (participants is < 0 or > MaxParticipants)
        {
            return Refusal.Invalid("participants", $"participants must be between 0 and {MaxParticipants}.");
        }
        if (Status != ActivityStatus.Scheduled)
        {
            return Refusal.Conflict($"A {KebabEnum.Name(Status)} activity cannot be recorded as held.");
        }
        if (now < ScheduledAt)
        {
            return Refusal.Conflict("The activity has not started yet.");
        }
        Participants = participants;
        HeldAt = now.ToDatabasePrecision();
        Status = ActivityStatus.Held;
        return null;
    }

    public Refusal? Cancel()
    {
        if (Status != ActivityStatus.Scheduled)
        {
            return Refusal.Conflict($"A {KebabEnum.Name(Status)} activity cannot be cancelled.");
        }
        Status = ActivityStatus.Cancelled;
        return null;
    }
}

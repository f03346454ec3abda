using Platform.ServiceDefaults.Data;
using Platform.ServiceDefaults.Security;
using Platform.ServiceDefaults.Time;
using Platform.ServiceDefaults.Validation;

namespace Platform.Volunteers.Domain;

/// <summary>The kinds of volunteer service the city counts.</summary>
public enum ServiceKind
{
    /// <summary>Medicine and meal deliveries to locked-down communities.</summary>
    LockdownDelivery,
    CommunityPatrol,
    ElderlyHelp,
    EpidemicPrevention,
    /// <summary>Civilised-city campaign (创城) work.</summary>
    CivilisedCityCampaign,
    /// <summary>Anything else; the note then says what.</summary>
    Other,
}

public enum ServiceLogStatus
{
    /// <summary>Logged by the worker, waiting for the community's staff.</summary>
    Pending,
    /// <summary>Confirmed: the hours count.</summary>
    Confirmed,
    Declined,
}

/// <summary>What a worker logs; the note may name the people helped, so it is stored encrypted.</summary>
public sealed record ServiceLogDetails(ServiceKind? Kind, DateOnly? ServedOn, decimal? Hours, Guid? CommunityId, string? Note);

/// <summary>
/// Volunteer service a worker logs (kind, local date, hours, the community served), confirmed or declined by that
/// community's staff. Only confirmed hours count in any total.
/// </summary>
public sealed class ServiceLog
{
    public const int NoteMaxLength = 500;
    public const int ReasonMaxLength = 500;
    /// <summary>Hours are logged in quarter hours, at most a day's worth per day.</summary>
    public const decimal HoursStep = 0.25m;
    public const decimal MaxHoursPerDay = 24m;
    /// <summary>Service is logged while it is remembered: at most this many days back.</summary>
    public const int MaxDaysBack = 90;

    public Guid Id { get; private set; }
    public Guid WorkerId { get; private set; }
    public ServiceKind Kind { get; private set; }
    public DateOnly ServedOn { get; private set; }
    public decimal Hours { get; private set; }
    public Guid CommunityId { get; private set; }
    public string? NoteCipher { get; private set; }
    public ServiceLogStatus Status { get; private set; }
    public DateTimeOffset LoggedAt { get; private set; }
    public DateTimeOffset? DecidedAt { get; private set; }
    /// <summary>The staff member (token subject) who decided; kept for audit, never shown in lists.</summary>
    public Guid? DecidedBy { get; private set; }
    public string? DeclineReason { get; private set; }
    /// <summary>Row version (PostgreSQL xmin): two staff deciding at once, or a decision and a withdrawal, cannot both apply.</summary>
    public uint Version { get; private set; }

    private ServiceLog() { }

    /// <summary>
    /// Logs service for <paramref name="workerId"/>. <paramref name="communityKnown"/>: the community is in the local
    /// copy; <paramref name="hoursAlreadyThatDay"/>: the worker's pending and confirmed hours on the same date.
    /// </summary>
    public static Validated<ServiceLog> Record(Guid workerId, ServiceLogDetails details, bool communityKnown, decimal hoursAlreadyThatDay,
        PersonalDataProtector protector, DateTimeOffset now)
    {
        var errors = new FieldErrors();
        var kind = errors.Required("kind", details.Kind);
        var note = errors.OptionalText("note", details.Note, NoteMaxLength);
        if (kind == ServiceKind.Other && details.Kind is not null && note is null)
        {
            errors.Add("note", "note is required for service of kind other: say what was done.");
        }
        var today = CityClock.DateOf(now);
        var servedOn = errors.Required("servedOn", details.ServedOn);
        if (details.ServedOn is not null && servedOn > today)
        {
            errors.Add("servedOn", "servedOn cannot be in the future.");
        }
        else if (details.ServedOn is not null && servedOn < today.AddDays(-MaxDaysBack))
        {
            errors.Add("servedOn", $"servedOn must be within the last {MaxDaysBack} days.");
        }
        var hours = errors.Required("hours", details.Hours);
        if (details.Hours is not null)
        {
            if (hours <= 0 || hours > MaxHoursPerDay || hours % HoursStep != 0)
            {
                errors.Add("hours", $"hours must be more than 0 and at most {MaxHoursPerDay}, in steps of {HoursStep}.");
            }
            else if (hours + hoursAlreadyThatDay > MaxHoursPerDay)
            {
                errors.Add("hours", $"You have already logged {hoursAlreadyThatDay} hours on that day; a day has {MaxHoursPerDay}.");
            }
        }
        var communityId = errors.Required("communityId", details.CommunityId);
        if (details.CommunityId is not null && !communityKnown)
        {
            errors.Add("communityId", "No community with this id is registered.");
        }
        if (errors.Any)
        {
            return Validated<ServiceLog>.Invalid(errors);
        }
        now = now.ToDatabasePrecision();
        return Validated<ServiceLog>.Ok(new ServiceLog
        {
            Id = Guid.CreateVersion7(now),
            WorkerId = workerId,
            Kind = kind,
            ServedOn = servedOn,
            Hours = hours,
            CommunityId = communityId,
            NoteCipher = note is null ? null : protector.Protect(note),
            Status = ServiceLogStatus.Pending,
            LoggedAt = now,
        });
    }

    public string? Note(PersonalDataProtector protector) => NoteCipher is null ? null : protector.Unprotect(NoteCipher);

    public Outcome<ServiceLog> Confirm(Guid? decidedBy, DateTimeOffset now)
    {
        if (Status != ServiceLogStatus.Pending)
        {
            return Refusal.Conflict($"This service log is {Status.ToString().ToLowerInvariant()}, not pending.");
        }
        Status = ServiceLogStatus.Confirmed;
        DecidedAt = now.ToDatabasePrecision();
        DecidedBy = decidedBy;
        return this;
    }

    public Outcome<ServiceLog> Decline(string? reason, Guid? decidedBy, DateTimeOffset now)
    {
        if (Status != ServiceLogStatus.Pending)
        {
            return Refusal.Conflict($"This service log is {Status.ToString().ToLowerInvariant()}, not pending.");
        }
        if (string.IsNullOrWhiteSpace(reason))
        {
            return Refusal.Invalid("reason", "reason is required when declining.");
        }
        if (reason.Trim().Length > ReasonMaxLength)
        {
            return Refusal.Invalid("reason", $"reason must be at most {ReasonMaxLength} characters.");
        }
        Status = ServiceLogStatus.Declined;
        DeclineReason = reason.Trim();
        DecidedAt = now.ToDatabasePrecision();
        DecidedBy = decidedBy;
        return this;
    }

    /// <summary>A worker takes back a log the community has not decided yet (e.g. a typo); a decided one stays.</summary>
    public Outcome<ServiceLog> Withdraw()
    {
        if (Status != ServiceLogStatus.Pending)
        {
            return Refusal.Conflict($"This service log is already {Status.ToString().ToLowerInvariant()}; only a pending one can be withdrawn.");
        }
        return this;
    }
}

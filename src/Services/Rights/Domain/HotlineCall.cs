using Platform.ServiceDefaults.Data;
using Platform.ServiceDefaults.Validation;
using Platform.ServiceDefaults.Time;

namespace Platform.Rights.Domain;

public enum CallOutcome
{
    AdviceGiven,
    Referred,
    CaseOpened,
    CallbackArranged,
    Dropped,
}

/// <summary>What the call taker records about a hotline call (with the city psychology association).</summary>
public sealed record CallRecord(
    DateTimeOffset? StartedAt,
    int? DurationSeconds,
    CaseCategory? Category,
    CallOutcome? Outcome,
    bool Crisis,
    Guid? CaseId);

/// <summary>
/// A hotline call: when, how long, about what, how it ended, and the case it belongs to. No content: what the
/// caller said goes into a case, where it is encrypted.
/// </summary>
public sealed class HotlineCall
{
    /// <summary>Longer than this is a mistake in the record, not a call.</summary>
    public const int MaxDurationSeconds = 6 * 60 * 60;
    /// <summary>Tolerance for the call taker's phone clock.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    public Guid Id { get; private set; }
    public DateTimeOffset StartedAt { get; private set; }
    /// <summary>The local date in Langfang (Asia/Shanghai): the day the statistics count the call on.</summary>
    public DateOnly LocalDate { get; private set; }
    public int DurationSeconds { get; private set; }
    public CaseCategory Category { get; private set; }
    public CallOutcome Outcome { get; private set; }
    /// <summary>Risk of self-harm: a crisis case was opened at once and supervisors alerted.</summary>
    public bool Crisis { get; private set; }
    public Guid? CaseId { get; private set; }
    public Guid TakenBy { get; private set; }
    public DateTimeOffset LoggedAt { get; private set; }

    private HotlineCall() { }

    /// <summary>
    /// Logs a call. A crisis call always opens a new crisis case (<paramref name="crisisCaseId"/>), so its outcome
    /// is <c>case-opened</c> and it links to no other case.
    /// </summary>
    public static Validated<HotlineCall> Log(CallRecord r, Guid takenBy, DateTimeOffset now, Guid? crisisCaseId = null)
    {
        ArgumentNullException.ThrowIfNull(r);
        now = now.ToDatabasePrecision();
        var errors = new FieldErrors();
        var startedAt = errors.Required("startedAt", r.StartedAt);
        if (r.StartedAt is not null && startedAt > now + ClockSkew)
        {
            errors.Add("startedAt", "startedAt must not be in the future.");
        }
        var duration = errors.Required("durationSeconds", r.DurationSeconds);
        if (r.DurationSeconds is not null && duration is < 0 or > MaxDurationSeconds)
        {
            errors.Add("durationSeconds", $"durationSeconds must be between 0 and {MaxDurationSeconds}.");
        }
        var category = errors.Required("category", r.Category);
        CallOutcome outcome;
        if (r.Crisis)
        {
            outcome = CallOutcome.CaseOpened;
            if (r.Outcome is not null and not CallOutcome.CaseOpened)
            {
                errors.Add("outcome", "A crisis call opens a case: its outcome is case-opened.");
            }
            if (r.CaseId is not null)
            {
                errors.Add("caseId", "A crisis call opens a new crisis case; do not link it to another.");
            }
        }
        else
        {
            outcome = errors.Required("outcome", r.Outcome);
        }
        if (errors.Any)
        {
            return Validated<HotlineCall>.Invalid(errors);
        }
        var started = startedAt.ToDatabasePrecision();
        return Validated<HotlineCall>.Ok(new HotlineCall
        {
            Id = Guid.CreateVersion7(now),
            StartedAt = started,
            LocalDate = CityClock.DateOf(started),
            DurationSeconds = duration,
            Category = category,
            Outcome = outcome,
            Crisis = r.Crisis,
            CaseId = r.Crisis ? crisisCaseId : r.CaseId,
            TakenBy = takenBy,
            LoggedAt = now,
        });
    }
}

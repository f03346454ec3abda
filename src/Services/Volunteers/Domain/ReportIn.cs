using Platform.Contracts;
using Platform.ServiceDefaults.Data;
using Platform.ServiceDefaults.Validation;

namespace Platform.Volunteers.Domain;

public enum ReportInStatus
{
    /// <summary>Asked by the worker, waiting for the community's staff.</summary>
    Pending,
    /// <summary>Confirmed: the worker serves in this community now.</summary>
    Active,
    Declined,
    /// <summary>Was active; the worker has since reported in to another community.</summary>
    Ended,
}

/// <summary>
/// A worker reporting in (报到) to the community where they work: asked by the worker, confirmed or declined by that
/// community's staff. A worker has at most one pending and at most one active report-in (only a pending one becomes active, and confirming a new one ends
/// the earlier active one: the worker moved).
/// </summary>
public sealed class ReportIn
{
    public const int ReasonMaxLength = 500;

    public Guid Id { get; private set; }
    public Guid WorkerId { get; private set; }
    public Guid CommunityId { get; private set; }
    public ReportInStatus Status { get; private set; }
    public DateTimeOffset RequestedAt { get; private set; }
    public DateTimeOffset? DecidedAt { get; private set; }
    public string? DeclineReason { get; private set; }
    public DateTimeOffset? EndedAt { get; private set; }
    /// <summary>Row version (PostgreSQL xmin): two staff deciding the same report-in at once cannot both succeed.</summary>
    public uint Version { get; private set; }

    private ReportIn() { }

    public static ReportIn Request(Guid workerId, Guid communityId, DateTimeOffset now)
    {
        now = now.ToDatabasePrecision();
        return new ReportIn
        {
            Id = Guid.CreateVersion7(now),
            WorkerId = workerId,
            CommunityId = communityId,
            Status = ReportInStatus.Pending,
            RequestedAt = now,
        };
    }

    /// <summary>Confirms a pending report-in and ends <paramref name="previous"/>, the worker's active one, if any.</summary>
    public Outcome<WorkerReportedToCommunity> Confirm(ReportIn? previous, DateTimeOffset now)
    {
        if (Status != ReportInStatus.Pending)
        {
            return Refusal.Conflict($"This report-in is {Status.ToString().ToLowerInvariant()}, not pending.");
        }
        now = now.ToDatabasePrecision();
        if (previous is not null && previous.Id != Id && previous.Status == ReportInStatus.Active)
        {
            previous.Status = ReportInStatus.Ended;
            previous.EndedAt = now;
        }
        Status = ReportInStatus.Active;
        DecidedAt = now;
        return new WorkerReportedToCommunity(WorkerId, CommunityId, now);
    }

    public Outcome<ReportIn> Decline(string? reason, DateTimeOffset now)
    {
        if (Status != ReportInStatus.Pending)
        {
            return Refusal.Conflict($"This report-in is {Status.ToString().ToLowerInvariant()}, not pending.");
        }
        if (string.IsNullOrWhiteSpace(reason))
        {
            return Refusal.Invalid("reason", "reason is required when declining.");
        }
        if (reason.Trim().Length > ReasonMaxLength)
        {
            return Refusal.Invalid("reason", $"reason must be at most {ReasonMaxLength} characters.");
        }
        Status = ReportInStatus.Declined;
        DeclineReason = reason.Trim();
        DecidedAt = now.ToDatabasePrecision();
        return this;
    }
}

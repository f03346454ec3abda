using Platform.Contracts;
using Platform.ServiceDefaults.Data;
using Platform.ServiceDefaults.Validation;

namespace Platform.Organizations.Domain;

/// <summary>
/// What this service knows of a worker from the volunteers service's events: the enterprise, the party-member flag
/// and the community reported to. The two events may arrive in either order and more than once; each fact keeps the
/// value of its latest event.
/// </summary>
public sealed class WorkerRecord
{
    public Guid WorkerId { get; private set; }
    public Guid? EnterpriseId { get; private set; }
    public bool PartyMember { get; private set; }
    public DateTimeOffset? RegisteredAt { get; private set; }
    public Guid? CommunityId { get; private set; }
    public DateTimeOffset? ReportedAt { get; private set; }
    /// <summary>Optimistic concurrency (PostgreSQL xmin): two events for one worker handled at once cannot lose a fact.</summary>
    public uint Version { get; private set; }

    private WorkerRecord() { }

    public static WorkerRecord For(Guid workerId) => new() { WorkerId = workerId };

    /// <summary>Takes the registration unless a later one was already applied. Returns whether anything changed.</summary>
    public bool Apply(WorkerRegistered registration)
    {
        if (RegisteredAt is { } known && registration.RegisteredAt < known)
        {
            return false;
        }
        var changed = EnterpriseId != registration.EnterpriseId || PartyMember != registration.PartyMember || RegisteredAt is null;
        EnterpriseId = registration.EnterpriseId;
        PartyMember = registration.PartyMember;
        RegisteredAt = registration.RegisteredAt.ToDatabasePrecision();
        return changed;
    }

    /// <summary>Takes the report-in unless a later one was already applied. Returns whether anything changed.</summary>
    public bool Apply(WorkerReportedToCommunity report)
    {
        if (ReportedAt is { } known && report.ConfirmedAt < known)
        {
            return false;
        }
        var changed = CommunityId != report.CommunityId;
        CommunityId = report.CommunityId;
        ReportedAt = report.ConfirmedAt.ToDatabasePrecision();
        return changed;
    }
}

/// <summary>How a member came to be in an organization.</summary>
public enum PlacementReason
{
    /// <summary>The organization covers the worker's enterprise.</summary>
    CoveringOrganization,
    /// <summary>No organization covers the enterprise: the local organization of the community the worker reported to (属地兜底).</summary>
    Fallback,
    /// <summary>An officer transferred the member.</summary>
    Transfer,
}

/// <summary>Where a party member should be, decided from what is known; null when nowhere yet.</summary>
public sealed record PlacementTarget(Guid OrganizationId, PlacementReason Reason)
{
    public bool Fallback => Reason == PlacementReason.Fallback;

    /// <summary>
    /// The organization that covers the worker's enterprise; failing that, the local organization of the community
    /// the worker reported to, as a fallback; failing both, nowhere yet (placed when either becomes known).
    /// </summary>
    public static PlacementTarget? Decide(bool partyMember, Guid? coveringOrganizationId, Guid? localOrganizationId) =>
        !partyMember ? null
        : coveringOrganizationId is { } covering ? new PlacementTarget(covering, PlacementReason.CoveringOrganization)
        : localOrganizationId is { } local ? new PlacementTarget(local, PlacementReason.Fallback)
        : null;
}

/// <summary>One period of a member in an organization; a transfer ends it and starts the next, so history is kept.</summary>
public sealed class MemberPlacement
{
    public const int NoteMaxLength = 500;

    public Guid Id { get; private set; }
    public Guid MemberId { get; private set; }
    public Guid OrganizationId { get; private set; }
    public PlacementReason Reason { get; private set; }
    public string? Note { get; private set; }
    public DateTimeOffset PlacedAt { get; private set; }
    public DateTimeOffset? EndedAt { get; private set; }

    private MemberPlacement() { }

    internal MemberPlacement(Guid memberId, PlacementTarget target, string? note, DateTimeOffset placedAt)
    {
        Id = Guid.CreateVersion7(placedAt);
        MemberId = memberId;
        OrganizationId = target.OrganizationId;
        Reason = target.Reason;
        Note = note;
        PlacedAt = placedAt;
    }

    internal void End(DateTimeOffset at) => EndedAt = at;
}

/// <summary>A Party member among the workers, placed in an organization (with the history of placements).</summary>
public sealed class Member
{
    private readonly List<MemberPlacement> _placements = [];

    public Guid Id { get; private set; }
    public Guid WorkerId { get; private set; }
    public Guid OrganizationId { get; private set; }
    public PlacementReason Reason { get; private set; }
    public bool Fallback { get; private set; }
    public DateTimeOffset PlacedAt { get; private set; }
    /// <summary>The day the member joined the Party: the political birthday (政治生日).</summary>
    public DateOnly? JoinedPartyOn { get; private set; }
    /// <summary>Month * 100 + day of <see cref="JoinedPartyOn"/>, so that anniversaries in a window are an indexed lookup.</summary>
    public int? JoinedMonthDay { get; private set; }
    public uint Version { get; private set; }

    public IReadOnlyList<MemberPlacement> Placements => _placements;

    private Member() { }

    public static Member Place(Guid workerId, PlacementTarget target, DateTimeOffset now)
    {
        now = now.ToDatabasePrecision();
        var member = new Member { Id = Guid.CreateVersion7(now), WorkerId = workerId };
        member.Start(target, null, now);
        return member;
    }

    /// <summary>
    /// Applies an automatic placement decision. A member an officer transferred stays where the officer put them;
    /// otherwise the member moves when the decision differs. Returns whether the member moved.
    /// </summary>
    public bool Follow(PlacementTarget? target, DateTimeOffset now)
    {
        if (target is null || Reason == PlacementReason.Transfer || (target.OrganizationId == OrganizationId && target.Reason == Reason))
        {
            return false;
        }
        Start(target, null, now.ToDatabasePrecision());
        return true;
    }

    /// <summary>An officer's transfer to another organization (which must be established; the caller checks).</summary>
    public Refusal? TransferTo(PartyOrganization organization, string? note, DateTimeOffset now)
    {
        if (!organization.IsEstablished)
        {
            return Refusal.Rule("Members can only be transferred to an established organization.", $"{organization.Name} is not approved.");
        }
        if (organization.Id == OrganizationId)
        {
            return Refusal.Conflict("The member is already in this organization.", $"Already a member of {organization.Name}.");
        }
        if (note?.Trim().Length > MemberPlacement.NoteMaxLength)
        {
            return Refusal.Invalid(Errors("note", $"note must be at most {MemberPlacement.NoteMaxLength} characters."));
        }
        Start(new PlacementTarget(organization.Id, PlacementReason.Transfer), string.IsNullOrWhiteSpace(note) ? null : note.Trim(), now.ToDatabasePrecision());
        return null;
    }

    public Refusal? RecordJoinedParty(DateOnly? joinedOn, DateOnly today)
    {
        if (joinedOn is null)
        {
            return Refusal.Invalid(Errors("joinedPartyOn", "joinedPartyOn is required."));
        }
        if (joinedOn > today)
        {
            return Refusal.Invalid(Errors("joinedPartyOn", "joinedPartyOn cannot be in the future."));
        }
        if (joinedOn < new DateOnly(1921, 7, 1))
        {
            return Refusal.Invalid(Errors("joinedPartyOn", "joinedPartyOn cannot be before the Party was founded (1921)."));
        }
        JoinedPartyOn = joinedOn;
        JoinedMonthDay = PoliticalBirthday.Key(joinedOn.Value);
        return null;
    }

    public MemberPlaced ToPlacedEvent() => new(Id, WorkerId, OrganizationId, Fallback, PlacedAt);

    private void Start(PlacementTarget target, string? note, DateTimeOffset now)
    {
        foreach (var open in _placements.Where(p => p.EndedAt is null))
        {
            open.End(now);
        }
        _placements.Add(new MemberPlacement(Id, target, note, now));
        OrganizationId = target.OrganizationId;
        Reason = target.Reason;
        Fallback = target.Fallback;
        PlacedAt = now;
    }

    private static ServiceDefaults.Validation.FieldErrors Errors(string field, string message)
    {
        var errors = new ServiceDefaults.Validation.FieldErrors();
        errors.Add(field, message);
        return errors;
    }
}

using Platform.ServiceDefaults.Data;
using Platform.ServiceDefaults.Time;
using Platform.ServiceDefaults.Validation;

namespace Platform.Volunteers.Domain;

/// <summary>How a membership ended.</summary>
public enum MembershipEnd
{
    /// <summary>The worker left on their own.</summary>
    Left,
    /// <summary>Community staff or an officer took the worker off the team.</summary>
    Removed,
    TeamDissolved,
}

/// <summary>
/// What a vanguard team needs to know about a worker who would join or lead it, as this service knows it: Party
/// membership from the profile, the community they serve in (active report-in), and their current team, if any.
/// </summary>
public sealed record TeamCandidate(Guid WorkerId, bool PartyMember, Guid? ServingCommunityId, VanguardMembership? CurrentMembership);

/// <summary>
/// A red volunteer vanguard team (红色志愿先锋队) of one community: workers reported in there, led by a Party member.
/// One active team per community; a worker is in at most one team at a time (also a partial unique index, so
/// concurrent joins cannot break it). Dissolved teams and ended memberships are kept as history.
/// </summary>
public sealed class VanguardTeam
{
    public const int NameMaxLength = 100;

    public Guid Id { get; private set; }
    public string Name { get; private set; } = "";
    public Guid CommunityId { get; private set; }
    public Guid LeaderId { get; private set; }
    public DateTimeOffset LeaderSince { get; private set; }
    public DateTimeOffset FormedAt { get; private set; }
    public DateTimeOffset? DissolvedAt { get; private set; }
    /// <summary>Row version (PostgreSQL xmin): a hand-over and a dissolution at the same moment cannot both apply.</summary>
    public uint Version { get; private set; }

    public bool IsActive => DissolvedAt is null;

    private VanguardTeam() { }

    /// <summary>Forms a team in <paramref name="communityId"/> with <paramref name="leader"/> (null: no such worker) as its first member.</summary>
    public static Outcome<(VanguardTeam Team, VanguardMembership Leader)> Form(string? name, Guid communityId, TeamCandidate? leader, DateTimeOffset now)
    {
        var errors = new FieldErrors();
        var validName = errors.Text("name", name, NameMaxLength);
        if (errors.Any)
        {
            return Refusal.Invalid(errors);
        }
        if (leader is null)
        {
            return Refusal.Invalid("leaderId", "No registered worker with this id.");
        }
        if (!leader.PartyMember)
        {
            return Refusal.Invalid("leaderId", "The leader of a vanguard team must be a Party member.");
        }
        if (leader.ServingCommunityId != communityId)
        {
            return Refusal.Invalid("leaderId", "The leader must be reported in to the team's community.");
        }
        if (leader.CurrentMembership is not null)
        {
            return Refusal.Conflict("The leader is already in a vanguard team; they must leave it first.");
        }
        now = now.ToDatabasePrecision();
        var team = new VanguardTeam
        {
            Id = Guid.CreateVersion7(now),
            Name = validName,
            CommunityId = communityId,
            LeaderId = leader.WorkerId,
            LeaderSince = now,
            FormedAt = now,
        };
        return (team, VanguardMembership.Start(team.Id, leader.WorkerId, now));
    }

    public Outcome<VanguardMembership> Join(TeamCandidate worker, DateTimeOffset now)
    {
        if (!IsActive)
        {
            return Refusal.Conflict("This team has been dissolved.");
        }
        if (worker.CurrentMembership is { } current)
        {
            return Refusal.Conflict(current.TeamId == Id
                ? "The worker is already a member of this team."
                : "The worker is already in another vanguard team; a worker is in one team at a time, so leave that one first.");
        }
        if (worker.ServingCommunityId != CommunityId)
        {
            return Refusal.Rule("Only workers reported in to the team's community can join its team.");
        }
        return VanguardMembership.Start(Id, worker.WorkerId, now.ToDatabasePrecision());
    }

    /// <summary>Ends <paramref name="membership"/>: the worker left, or was removed. The leader stays until someone takes over.</summary>
    public Outcome<VanguardMembership> Leave(VanguardMembership? membership, MembershipEnd how, DateTimeOffset now)
    {
        if (membership is null || membership.TeamId != Id || !membership.IsCurrent)
        {
            return Refusal.Conflict("The worker is not a member of this team.");
        }
        if (membership.WorkerId == LeaderId)
        {
            return Refusal.Conflict(
                "The team's leader cannot leave: hand the leadership to another Party member of the team first, or dissolve the team.");
        }
        membership.End(how, now.ToDatabasePrecision());
        return membership;
    }

    /// <summary>Makes <paramref name="worker"/>, a Party member already in the team, its leader; the former leader stays a member.</summary>
    public Outcome<VanguardTeam> HandOver(TeamCandidate worker, DateTimeOffset now)
    {
        if (!IsActive)
        {
            return Refusal.Conflict("This team has been dissolved.");
        }
        if (worker.WorkerId == LeaderId)
        {
            return this;
        }
        if (!worker.PartyMember)
        {
            return Refusal.Rule("The leader of a vanguard team must be a Party member.");
        }
        if (worker.CurrentMembership?.TeamId != Id)
        {
            return Refusal.Rule("The new leader must be a member of the team; they join first.");
        }
        LeaderId = worker.WorkerId;
        LeaderSince = now.ToDatabasePrecision();
        return this;
    }

    /// <summary>Dissolves the team and ends its <paramref name="currentMemberships"/>; the community may then form a new one.</summary>
    public Outcome<VanguardTeam> Dissolve(IEnumerable<VanguardMembership> currentMemberships, DateTimeOffset now)
    {
        if (!IsActive)
        {
            return Refusal.Conflict("This team has already been dissolved.");
        }
        now = now.ToDatabasePrecision();
        foreach (var membership in currentMemberships.Where(m => m.TeamId == Id && m.IsCurrent))
        {
            membership.End(MembershipEnd.TeamDissolved, now);
        }
        DissolvedAt = now;
        return this;
    }
}

/// <summary>One worker's time in one team: kept after it ends, so the team's history and its service hours stay right.</summary>
public sealed class VanguardMembership
{
    public Guid Id { get; private set; }
    public Guid TeamId { get; private set; }
    public Guid WorkerId { get; private set; }
    public DateTimeOffset JoinedAt { get; private set; }
    /// <summary>Local date of joining: service from this day on counts for the team.</summary>
    public DateOnly JoinedOn { get; private set; }
    public DateTimeOffset? LeftAt { get; private set; }
    /// <summary>Local date of leaving: service from this day on no longer counts for the team.</summary>
    public DateOnly? LeftOn { get; private set; }
    public MembershipEnd? EndedBy { get; private set; }

    public bool IsCurrent => LeftAt is null;

    private VanguardMembership() { }

    internal static VanguardMembership Start(Guid teamId, Guid workerId, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        TeamId = teamId,
        WorkerId = workerId,
        JoinedAt = now,
        JoinedOn = CityClock.DateOf(now),
    };

    internal void End(MembershipEnd how, DateTimeOffset now)
    {
        LeftAt = now;
        LeftOn = CityClock.DateOf(now);
        EndedBy = how;
    }
}

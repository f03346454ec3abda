using Platform.ServiceDefaults.Validation;
using Platform.Volunteers.Domain;

namespace Platform.Volunteers.Tests.Domain;

public sealed class VanguardTeamTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 17, 30, 0, TimeSpan.Zero);
    private static readonly Guid Community = Guid.NewGuid();

    private static TeamCandidate Candidate(bool partyMember = true, Guid? community = null, VanguardMembership? current = null) =>
        new(Guid.NewGuid(), partyMember, community ?? Community, current);

    private static (VanguardTeam Team, VanguardMembership Leader) Formed(TeamCandidate? leader = null)
    {
        var formed = VanguardTeam.Form("银河北路红色志愿先锋队", Community, leader ?? Candidate(), Now);
        Assert.Null(formed.Refusal);
        return formed.Value;
    }

    [Fact]
    public void The_leader_must_be_a_Party_member_serving_in_the_community()
    {
        Assert.Contains("leaderId", VanguardTeam.Form("队", Community, Candidate(partyMember: false), Now).Refusal!.Errors!.Keys);
        Assert.Contains("leaderId", VanguardTeam.Form("队", Community, Candidate(community: Guid.NewGuid()), Now).Refusal!.Errors!.Keys);
        Assert.Contains("leaderId", VanguardTeam.Form("队", Community, null, Now).Refusal!.Errors!.Keys);
        Assert.Contains("name", VanguardTeam.Form(" ", Community, Candidate(), Now).Refusal!.Errors!.Keys);
    }

    [Fact]
    public void Forming_makes_the_leader_the_first_member_from_the_local_date()
    {
        var leader = Candidate();
        var (team, membership) = Formed(leader);

        Assert.Equal((leader.WorkerId, team.Id, leader.WorkerId), (team.LeaderId, membership.TeamId, membership.WorkerId));
        // 17:30 UTC is already the next day in Langfang.
        Assert.Equal(new DateOnly(2026, 11, 26), membership.JoinedOn);
        Assert.True(membership.IsCurrent);
    }

    [Fact]
    public void A_worker_in_a_team_cannot_lead_or_join_another()
    {
        var (other, otherLeader) = Formed();
        var inOther = other.Join(Candidate(partyMember: false), Now).Value!;
        var (team, _) = Formed();

        Assert.Equal(RefusalKind.Conflict, VanguardTeam.Form("队", Community, Candidate(current: otherLeader), Now).Refusal?.Kind);
        Assert.Equal(RefusalKind.Conflict, team.Join(Candidate(current: inOther), Now).Refusal?.Kind);
        Assert.Equal(RefusalKind.Conflict, other.Join(Candidate(current: inOther), Now).Refusal?.Kind);
    }

    [Fact]
    public void Only_workers_of_the_team_s_community_join_and_anyone_of_them_may_without_being_a_Party_member()
    {
        var (team, _) = Formed();

        Assert.Equal(RefusalKind.BrokenRule, team.Join(Candidate(community: Guid.NewGuid()), Now).Refusal?.Kind);
        Assert.Null(team.Join(Candidate(partyMember: false), Now).Refusal);
    }

    [Fact]
    public void The_leader_cannot_leave_until_a_Party_member_of_the_team_takes_over()
    {
        var (team, leaderMembership) = Formed();
        var joining = Candidate(partyMember: false);
        var member = team.Join(joining, Now).Value!;
        var partyJoining = Candidate();
        var partyMember = team.Join(partyJoining, Now).Value!;

        Assert.Equal(RefusalKind.Conflict, team.Leave(leaderMembership, MembershipEnd.Left, Now).Refusal?.Kind);
        Assert.Equal(RefusalKind.BrokenRule, team.HandOver(joining with { CurrentMembership = member }, Now).Refusal?.Kind);
        Assert.Equal(RefusalKind.BrokenRule, team.HandOver(Candidate(), Now).Refusal?.Kind);
        Assert.Null(team.HandOver(partyJoining with { CurrentMembership = partyMember }, Now.AddHours(1)).Refusal);
        Assert.Equal(partyJoining.WorkerId, team.LeaderId);

        var left = team.Leave(leaderMembership, MembershipEnd.Left, Now.AddHours(2));
        Assert.Null(left.Refusal);
        Assert.Equal((MembershipEnd.Left, false), (leaderMembership.EndedBy, leaderMembership.IsCurrent));
        Assert.Equal(RefusalKind.Conflict, team.Leave(leaderMembership, MembershipEnd.Left, Now.AddHours(3)).Refusal?.Kind);
    }

    [Fact]
    public void Dissolving_ends_every_membership_and_nobody_joins_afterwards()
    {
        var (team, leader) = Formed();
        var member = team.Join(Candidate(), Now).Value!;

        Assert.Null(team.Dissolve([leader, member], Now.AddDays(3)).Refusal);

        Assert.All([leader, member], m => Assert.Equal((MembershipEnd.TeamDissolved, new DateOnly(2026, 11, 29)), (m.EndedBy, m.LeftOn)));
        Assert.False(team.IsActive);
        Assert.Equal(RefusalKind.Conflict, team.Join(Candidate(), Now).Refusal?.Kind);
        Assert.Equal(RefusalKind.Conflict, team.Dissolve([], Now).Refusal?.Kind);
    }
}

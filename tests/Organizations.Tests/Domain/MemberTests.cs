using Platform.Contracts;
using Platform.Organizations.Domain;
using Platform.ServiceDefaults.Validation;

namespace Platform.Organizations.Tests.Domain;

public class MemberTests
{
    private static readonly DateTimeOffset Now = new(2022, 7, 1, 1, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Today = new(2022, 7, 1);

    [Fact]
    public void A_covering_organization_wins_over_the_community_fallback()
    {
        Guid covering = Guid.NewGuid(), local = Guid.NewGuid();

        Assert.Equal(new PlacementTarget(covering, PlacementReason.CoveringOrganization), PlacementTarget.Decide(true, covering, local));
        Assert.Equal(new PlacementTarget(local, PlacementReason.Fallback), PlacementTarget.Decide(true, null, local));
        Assert.True(PlacementTarget.Decide(true, null, local)!.Fallback);
    }

    [Fact]
    public void Workers_who_are_not_party_members_or_have_nowhere_to_go_are_not_placed()
    {
        Assert.Null(PlacementTarget.Decide(false, Guid.NewGuid(), Guid.NewGuid()));
        Assert.Null(PlacementTarget.Decide(true, null, null));
    }

    [Fact]
    public void The_two_events_combine_whichever_comes_first()
    {
        Guid worker = Guid.NewGuid(), enterprise = Guid.NewGuid(), community = Guid.NewGuid();
        var registered = new WorkerRegistered(worker, "courier", enterprise, true, "广阳区", Now);
        var reported = new WorkerReportedToCommunity(worker, community, Now.AddHours(1));

        var a = WorkerRecord.For(worker);
        a.Apply(registered);
        a.Apply(reported);
        var b = WorkerRecord.For(worker);
        b.Apply(reported);
        b.Apply(registered);

        foreach (var record in new[] { a, b })
        {
            Assert.Equal(enterprise, record.EnterpriseId);
            Assert.True(record.PartyMember);
            Assert.Equal(community, record.CommunityId);
        }
    }

    [Fact]
    public void An_older_event_arriving_late_does_not_overwrite_a_newer_one()
    {
        var worker = WorkerRecord.For(Guid.NewGuid());
        Guid oldCommunity = Guid.NewGuid(), newCommunity = Guid.NewGuid();

        Assert.True(worker.Apply(new WorkerReportedToCommunity(worker.WorkerId, newCommunity, Now)));
        Assert.False(worker.Apply(new WorkerReportedToCommunity(worker.WorkerId, oldCommunity, Now.AddDays(-3))));
        // The same event again changes nothing.
        Assert.False(worker.Apply(new WorkerReportedToCommunity(worker.WorkerId, newCommunity, Now)));

        Assert.Equal(newCommunity, worker.CommunityId);
    }

    [Fact]
    public void Following_the_same_decision_again_changes_nothing()
    {
        var target = new PlacementTarget(Guid.NewGuid(), PlacementReason.Fallback);
        var member = Member.Place(Guid.NewGuid(), target, Now);

        Assert.False(member.Follow(target, Now.AddMinutes(1)));
        Assert.False(member.Follow(null, Now.AddMinutes(1)));

        Assert.Single(member.Placements);
    }

    [Fact]
    public void Moving_from_fallback_to_a_covering_organization_keeps_the_history()
    {
        Guid local = Guid.NewGuid(), covering = Guid.NewGuid();
        var member = Member.Place(Guid.NewGuid(), new PlacementTarget(local, PlacementReason.Fallback), Now);

        Assert.True(member.Follow(new PlacementTarget(covering, PlacementReason.CoveringOrganization), Now.AddDays(10)));

        Assert.Equal(covering, member.OrganizationId);
        Assert.False(member.Fallback);
        Assert.Equal(2, member.Placements.Count);
        var first = member.Placements[0];
        Assert.Equal(local, first.OrganizationId);
        Assert.Equal(Now.AddDays(10), first.EndedAt);
        Assert.Null(member.Placements[1].EndedAt);
        var placed = member.ToPlacedEvent();
        Assert.Equal((member.Id, member.WorkerId, covering, false), (placed.MemberId, placed.WorkerId, placed.OrganizationId, placed.Fallback));
    }

    [Fact]
    public void A_member_an_officer_transferred_stays_where_the_officer_put_them()
    {
        var member = Member.Place(Guid.NewGuid(), new PlacementTarget(Guid.NewGuid(), PlacementReason.Fallback), Now);
        var chosen = PartyOrganizationTests.Established(OrganizationKind.Branch);

        Assert.Null(member.TransferTo(chosen, " 工作调动 ", Now.AddDays(1)));
        Assert.False(member.Follow(new PlacementTarget(Guid.NewGuid(), PlacementReason.CoveringOrganization), Now.AddDays(2)));

        Assert.Equal(chosen.Id, member.OrganizationId);
        Assert.Equal(PlacementReason.Transfer, member.Reason);
        Assert.Equal("工作调动", member.Placements[^1].Note);
    }

    [Fact]
    public void A_transfer_to_an_organization_not_established_or_the_same_one_is_refused()
    {
        var current = PartyOrganizationTests.Established(OrganizationKind.Branch);
        var member = Member.Place(Guid.NewGuid(), new PlacementTarget(current.Id, PlacementReason.CoveringOrganization), Now);

        Assert.Equal(RefusalKind.BrokenRule, member.TransferTo(PartyOrganizationTests.Applied(OrganizationKind.Branch), null, Now)!.Kind);
        Assert.Equal(RefusalKind.Conflict, member.TransferTo(current, null, Now)!.Kind);
        Assert.Single(member.Placements);
    }

    [Fact]
    public void The_joining_date_is_not_in_the_future_nor_before_1921()
    {
        var member = Member.Place(Guid.NewGuid(), new PlacementTarget(Guid.NewGuid(), PlacementReason.Fallback), Now);

        Assert.NotNull(member.RecordJoinedParty(Today.AddDays(1), Today));
        Assert.NotNull(member.RecordJoinedParty(new DateOnly(1900, 1, 1), Today));
        Assert.NotNull(member.RecordJoinedParty(null, Today));
        Assert.Null(member.RecordJoinedParty(new DateOnly(2012, 2, 29), Today));

        Assert.Equal(229, member.JoinedMonthDay);
    }
}

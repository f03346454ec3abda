using Platform.Organizations.Domain;
using Platform.ServiceDefaults.Validation;

namespace Platform.Organizations.Tests.Domain;

public class PartyOrganizationTests
{
    private static readonly DateTimeOffset Now = new(2022, 6, 20, 2, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Today = new(2022, 6, 20);

    internal static PartyOrganization Applied(OrganizationKind kind, PartyOrganization? parent = null, params Guid[] enterprises) =>
        PartyOrganization.ApplyToFound($"{kind} 党组织", kind, new DateOnly(2022, 5, 1), enterprises, null, parent, Today, Now).Value!;

    internal static PartyOrganization Established(OrganizationKind kind, PartyOrganization? parent = null, params Guid[] enterprises)
    {
        var organization = Applied(kind, parent, enterprises);
        Assert.Null(organization.Approve(new DateOnly(2022, 6, 1), "市委两新工委", Today));
        return organization;
    }

    [Fact]
    public void An_application_records_kind_parent_and_the_enterprises_it_covers_once_each()
    {
        var parent = Established(OrganizationKind.IndustryCommittee);
        var depot = Guid.NewGuid();

        var result = PartyOrganization.ApplyToFound(" 顺丰廊坊党委 ", OrganizationKind.EnterpriseCommittee, new DateOnly(2022, 5, 1), [depot, depot], null, parent, Today, Now);

        var organization = result.Value!;
        Assert.Equal("顺丰廊坊党委", organization.Name);
        Assert.Equal(FoundingStatus.Applied, organization.Status);
        Assert.Equal(parent.Id, organization.ParentId);
        Assert.Equal([depot], organization.EnterpriseIds);
        Assert.False(organization.IsEstablished);
    }

    [Fact]
    public void Every_missing_application_field_is_reported_at_once()
    {
        var result = PartyOrganization.ApplyToFound(null, null, null, null, null, null, Today, Now);

        Assert.Equal(["appliedOn", "kind", "name"], result.Errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void An_application_dated_in_the_future_is_refused()
    {
        var result = PartyOrganization.ApplyToFound("党支部", OrganizationKind.Branch, Today.AddDays(1), [], null, null, Today, Now);

        Assert.Contains("appliedOn", result.Errors.Keys);
    }

    [Theory]
    [InlineData(OrganizationKind.Branch, OrganizationKind.Branch)]
    [InlineData(OrganizationKind.Branch, OrganizationKind.GeneralBranch)]
    [InlineData(OrganizationKind.GeneralBranch, OrganizationKind.GeneralBranch)]
    [InlineData(OrganizationKind.GeneralBranch, OrganizationKind.EnterpriseCommittee)]
    [InlineData(OrganizationKind.EnterpriseCommittee, OrganizationKind.IndustryCommittee)]
    public void A_parent_that_cannot_hold_the_kind_is_refused(OrganizationKind parentKind, OrganizationKind childKind)
    {
        var parent = Established(parentKind);

        var result = PartyOrganization.ApplyToFound("新组织", childKind, new DateOnly(2022, 5, 1), [], null, parent, Today, Now);

        Assert.Contains("parentId", result.Errors.Keys);
    }

    [Theory]
    [InlineData(OrganizationKind.IndustryCommittee, OrganizationKind.IndustryCommittee)]
    [InlineData(OrganizationKind.IndustryCommittee, OrganizationKind.Branch)]
    [InlineData(OrganizationKind.EnterpriseCommittee, OrganizationKind.EnterpriseCommittee)]
    [InlineData(OrganizationKind.EnterpriseCommittee, OrganizationKind.GeneralBranch)]
    [InlineData(OrganizationKind.GeneralBranch, OrganizationKind.Branch)]
    public void A_parent_that_ranks_above_or_a_committee_of_the_same_kind_is_accepted(OrganizationKind parentKind, OrganizationKind childKind)
    {
        var parent = Established(parentKind);

        var result = PartyOrganization.ApplyToFound("新组织", childKind, new DateOnly(2022, 5, 1), [], null, parent, Today, Now);

        Assert.True(result.IsValid, string.Join("; ", result.Errors.SelectMany(e => e.Value)));
    }

    [Fact]
    public void Approval_establishes_with_date_and_body_and_the_event_carries_the_tree()
    {
        var parent = Established(OrganizationKind.IndustryCommittee);
        var depot = Guid.NewGuid();
        var organization = Applied(OrganizationKind.EnterpriseCommittee, parent, depot);

        Assert.Null(organization.Approve(new DateOnly(2022, 6, 15), " 省委两新工委 ", Today));

        Assert.True(organization.IsEstablished);
        Assert.Equal(new DateOnly(2022, 6, 15), organization.ApprovedOn);
        Assert.Equal("省委两新工委", organization.ApprovingBody);
        var established = organization.ToEstablishedEvent();
        Assert.Equal("enterprise-committee", established.Kind);
        Assert.Equal(parent.Id, established.ParentId);
        Assert.Equal([depot], established.EnterpriseIds);
        Assert.Equal(new DateOnly(2022, 6, 15), established.EstablishedOn);
    }

    [Fact]
    public void Approval_before_the_application_or_in_the_future_or_without_a_body_is_refused()
    {
        var organization = Applied(OrganizationKind.Branch);

        var before = organization.Approve(new DateOnly(2022, 4, 30), "市委", Today);
        var future = organization.Approve(Today.AddDays(1), "市委", Today);
        var noBody = organization.Approve(Today, " ", Today);

        Assert.Equal(RefusalKind.Invalid, before!.Kind);
        Assert.Contains("approvedOn", before.Errors!.Keys);
        Assert.Contains("approvedOn", future!.Errors!.Keys);
        Assert.Contains("approvingBody", noBody!.Errors!.Keys);
        Assert.Equal(FoundingStatus.Applied, organization.Status);
    }

    [Fact]
    public void Only_an_application_can_be_approved_or_rejected()
    {
        var approved = Established(OrganizationKind.Branch);
        var rejected = Applied(OrganizationKind.Branch);
        Assert.Null(rejected.Reject(Today, "党员人数不足三人", Today));

        Assert.Equal(RefusalKind.Conflict, approved.Approve(Today, "市委", Today)!.Kind);
        Assert.Equal(RefusalKind.Conflict, approved.Reject(Today, "理由", Today)!.Kind);
        Assert.Equal(RefusalKind.Conflict, rejected.Approve(Today, "市委", Today)!.Kind);
    }

    [Fact]
    public void Rejection_needs_a_reason_and_frees_the_enterprises()
    {
        var depot = Guid.NewGuid();
        var organization = Applied(OrganizationKind.Branch, null, depot);

        var noReason = organization.Reject(Today, "", Today);
        var rejected = organization.Reject(Today, " 党员人数不足三人 ", Today);

        Assert.Contains("reason", noReason!.Errors!.Keys);
        Assert.Null(rejected);
        Assert.Equal(FoundingStatus.Rejected, organization.Status);
        Assert.Equal("党员人数不足三人", organization.RejectionReason);
        Assert.Empty(organization.EnterpriseIds);
        Assert.All(organization.Coverage, c => Assert.True(c.Released));
    }

    [Fact]
    public void Moving_under_a_descendant_is_refused_as_a_cycle()
    {
        var top = Established(OrganizationKind.IndustryCommittee);
        var middle = Established(OrganizationKind.IndustryCommittee, top);
        var bottom = Established(OrganizationKind.IndustryCommittee, middle);

        // bottom's ancestry: bottom, middle, top.
        var refusal = top.MoveUnder(bottom, [bottom.Id, middle.Id, top.Id]);

        Assert.Equal(RefusalKind.BrokenRule, refusal!.Kind);
        Assert.Contains("cycle", refusal.Title, StringComparison.OrdinalIgnoreCase);
        Assert.Null(top.ParentId);
    }

    [Fact]
    public void Moving_under_itself_is_refused()
    {
        var organization = Established(OrganizationKind.IndustryCommittee);

        var refusal = organization.MoveUnder(organization, [organization.Id]);

        Assert.Equal(RefusalKind.BrokenRule, refusal!.Kind);
        Assert.Null(organization.ParentId);
    }

    [Fact]
    public void Moving_to_another_branch_of_the_tree_or_to_the_top_is_allowed()
    {
        var city = Established(OrganizationKind.IndustryCommittee);
        var county = Established(OrganizationKind.IndustryCommittee);
        var branch = Established(OrganizationKind.Branch, city);

        Assert.Null(branch.MoveUnder(county, [county.Id]));
        Assert.Equal(county.Id, branch.ParentId);
        Assert.Null(branch.MoveUnder(null, []));
        Assert.Null(branch.ParentId);
    }

    [Fact]
    public void Moving_under_a_branch_is_refused_by_the_kind_rule()
    {
        var branch = Established(OrganizationKind.Branch);
        var other = Established(OrganizationKind.Branch);

        var refusal = other.MoveUnder(branch, [branch.Id]);

        Assert.Equal(RefusalKind.BrokenRule, refusal!.Kind);
    }

    [Fact]
    public void Covering_the_same_enterprise_twice_is_a_conflict()
    {
        var depot = Guid.NewGuid();
        var organization = Established(OrganizationKind.Branch, null, depot);

        Assert.Equal(RefusalKind.Conflict, organization.Cover(depot)!.Kind);
        var another = Guid.NewGuid();
        Assert.Null(organization.Cover(another));
        Assert.Equal(new[] { depot, another }.Order(), organization.EnterpriseIds.Order());
    }
}

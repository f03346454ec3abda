using Platform.Organizations.Domain;
using Platform.ServiceDefaults.Validation;

namespace Platform.Organizations.Tests.Domain;

public class SupervisionTests
{
    private static readonly DateTimeOffset Now = new(2022, 9, 1, 1, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Today = new(2022, 9, 1);

    [Fact]
    public void An_organization_is_compliant_only_when_all_six_haves_are_verified()
    {
        var organization = PartyOrganizationTests.Established(OrganizationKind.Branch);
        var checks = Enum.GetValues<SixHavesItem>().Select(i => SixHavesCheck.For(organization, i)).ToList();
        foreach (var check in checks.Take(5))
        {
            Assert.Null(check.Record(organization, "现场照片", new DateOnly(2022, 8, 1), Today, Now));
        }
        // Evidence without a verification date does not count yet.
        Assert.Null(checks[5].Record(organization, "规章制度上墙照片", null, Today, Now));

        Assert.Equal([SixHavesItem.Rules], SixHavesCheck.Missing(checks));

        Assert.Null(checks[5].Record(organization, "规章制度上墙照片", new DateOnly(2022, 8, 2), Today, Now));
        Assert.Empty(SixHavesCheck.Missing(checks));
    }

    [Fact]
    public void With_no_checks_all_six_are_missing()
    {
        Assert.Equal(Enum.GetValues<SixHavesItem>(), SixHavesCheck.Missing([]));
    }

    [Fact]
    public void Six_haves_need_evidence_a_past_date_and_an_established_organization()
    {
        var organization = PartyOrganizationTests.Established(OrganizationKind.Branch);
        var check = SixHavesCheck.For(organization, SixHavesItem.Flag);

        Assert.Contains("evidence", check.Record(organization, " ", Today, Today, Now)!.Errors!.Keys);
        Assert.Contains("verifiedOn", check.Record(organization, "党旗", Today.AddDays(1), Today, Now)!.Errors!.Keys);
        Assert.Contains("verifiedOn", check.Record(organization, "党旗", new DateOnly(2022, 1, 1), Today, Now)!.Errors!.Keys);
        var applied = PartyOrganizationTests.Applied(OrganizationKind.Branch);
        Assert.Equal(RefusalKind.Conflict, SixHavesCheck.For(applied, SixHavesItem.Flag).Record(applied, "党旗", Today, Today, Now)!.Kind);
    }

    [Fact]
    public void Nine_deliveries_list_what_is_outstanding()
    {
        var organization = PartyOrganizationTests.Established(OrganizationKind.EnterpriseCommittee);

        Assert.Null(Delivery.Record(organization, DeliveryItem.PartyFlag, new DateOnly(2022, 6, 10), "两面", Today, Now, out var flag));
        Assert.Null(Delivery.Record(organization, DeliveryItem.Seal, new DateOnly(2022, 6, 12), null, Today, Now, out var seal));

        var outstanding = Delivery.Outstanding([flag!, seal!]);
        Assert.Equal(7, outstanding.Count);
        Assert.DoesNotContain(DeliveryItem.PartyFlag, outstanding);
        Assert.DoesNotContain(DeliveryItem.Seal, outstanding);
        Assert.Equal(9, Delivery.Outstanding([]).Count);
    }

    [Fact]
    public void A_delivery_before_founding_or_to_an_application_is_refused()
    {
        var organization = PartyOrganizationTests.Established(OrganizationKind.Branch);

        Assert.Contains("deliveredOn", Delivery.Record(organization, DeliveryItem.Books, new DateOnly(2022, 5, 31), null, Today, Now, out _)!.Errors!.Keys);
        Assert.Contains("item", Delivery.Record(organization, null, Today, null, Today, Now, out _)!.Errors!.Keys);
        Assert.Equal(RefusalKind.Conflict, Delivery.Record(PartyOrganizationTests.Applied(OrganizationKind.Branch), DeliveryItem.Books, Today, null, Today, Now, out _)!.Kind);
    }

    [Fact]
    public void Completing_an_inspection_records_the_checks_and_problems_and_the_event_counts_them()
    {
        var inspection = Inspection.Plan(Guid.NewGuid(), Department.MarketRegulation, new DateOnly(2022, 8, 20), Now).Value!;

        Assert.Null(inspection.Complete(new DateOnly(2022, 8, 21),
            [CombinedCheck.SafetyAndPartyWork, CombinedCheck.BusinessAndPartyGuidance, CombinedCheck.RegistrationAndPartyData, CombinedCheck.AnnualReportAndPartySupervision],
            ["党建工作手册未更新", "消防通道堵塞"], Today, Now));

        Assert.Equal(InspectionStatus.Completed, inspection.Status);
        Assert.True(inspection.AllFourDone);
        Assert.Equal(2, inspection.Problems.Count);
        Assert.All(inspection.Problems, p => Assert.Equal(ProblemStatus.Open, p.Status));
        var completed = inspection.ToCompletedEvent();
        Assert.Equal((inspection.Id, inspection.EnterpriseId, 2), (completed.InspectionId, completed.EnterpriseId, completed.ProblemsFound));
        Assert.Equal(RefusalKind.Conflict, inspection.Complete(Today, [CombinedCheck.SafetyAndPartyWork], [], Today, Now)!.Kind);
    }

    [Fact]
    public void An_inspection_with_fewer_checks_is_not_all_four()
    {
        var inspection = Inspection.Plan(Guid.NewGuid(), Department.Transport, Today, Now).Value!;

        Assert.Null(inspection.Complete(Today, [CombinedCheck.SafetyAndPartyWork, CombinedCheck.SafetyAndPartyWork], null, Today, Now));

        Assert.False(inspection.AllFourDone);
        Assert.Equal([CombinedCheck.SafetyAndPartyWork], inspection.ChecksDone);
        Assert.Equal(0, inspection.ToCompletedEvent().ProblemsFound);
    }

    [Fact]
    public void Completion_needs_a_check_a_past_date_and_described_problems()
    {
        var inspection = Inspection.Plan(Guid.NewGuid(), Department.Transport, Today, Now).Value!;

        var refusal = inspection.Complete(Today.AddDays(1), [], ["", "ok"], Today, Now);

        Assert.Equal(["checks", "completedOn", "problems[0]"], refusal!.Errors!.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(InspectionStatus.Planned, inspection.Status);
    }

    [Fact]
    public void A_problem_is_resolved_once_with_a_date_not_before_the_visit_and_a_note()
    {
        var inspection = Inspection.Plan(Guid.NewGuid(), Department.Postal, new DateOnly(2022, 8, 1), Now).Value!;
        Assert.Null(inspection.Complete(new DateOnly(2022, 8, 10), [CombinedCheck.SafetyAndPartyWork], ["台账缺失"], Today, Now));
        var problem = inspection.Problems[0];

        Assert.Contains("resolvedOn", inspection.ResolveProblem(problem.Id, new DateOnly(2022, 8, 9), "补齐", Today)!.Errors!.Keys);
        Assert.Contains("note", inspection.ResolveProblem(problem.Id, new DateOnly(2022, 8, 20), null, Today)!.Errors!.Keys);
        Assert.Null(inspection.ResolveProblem(problem.Id, new DateOnly(2022, 8, 20), "台账已补齐", Today));
        Assert.Equal(RefusalKind.Conflict, inspection.ResolveProblem(problem.Id, new DateOnly(2022, 8, 21), "again", Today)!.Kind);

        Assert.Equal(ProblemStatus.Resolved, problem.Status);
        Assert.Equal(new DateOnly(2022, 8, 20), problem.ResolvedOn);
    }

    [Fact]
    public void A_spot_check_pick_is_reproducible_from_seed_and_candidates_whatever_their_order()
    {
        var candidates = Enumerable.Range(0, 40).Select(_ => Guid.NewGuid()).ToList();

        var first = SpotCheck.Pick(candidates, "2022-09-audit", 5);
        var shuffled = SpotCheck.Pick(candidates.AsEnumerable().Reverse(), "2022-09-audit", 5);
        var otherSeed = SpotCheck.Pick(candidates, "another seed", 5);

        Assert.Equal(5, first.Count);
        Assert.Equal(first, shuffled);
        Assert.NotEqual(first, otherSeed);
        Assert.All(first, id => Assert.Contains(id, candidates));
    }

    [Fact]
    public void A_spot_check_rank_is_sha256_of_seed_and_id()
    {
        var id = Guid.Parse("0192e6a1-0000-7000-8000-000000000001");
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("seed:0192e6a1-0000-7000-8000-000000000001")));

        Assert.Equal(expected, SpotCheck.Rank("seed", id));
    }

    [Fact]
    public void A_spot_check_records_a_generated_seed_and_picks_all_when_there_are_few()
    {
        var candidates = new[] { Guid.NewGuid(), Guid.NewGuid() };

        var drawn = SpotCheck.Draw(5, null, null, candidates, "officer", Now).Value!;

        Assert.False(string.IsNullOrWhiteSpace(drawn.Seed));
        Assert.Equal(candidates.Order(), drawn.PickedIds.Order());
        Assert.True(drawn.IsReproducible());
        Assert.Contains("count", SpotCheck.Draw(0, "s", null, candidates, "officer", Now).Errors.Keys);
    }

    [Fact]
    public void An_agreement_needs_parties_a_past_date_and_terms()
    {
        var refusal = JointBuildingAgreement.Sign(null, null, Today.AddDays(1), " ", Today, Now);

        Assert.Equal(["communityId", "enterpriseId", "signedOn", "terms"], refusal.Errors.Keys.Order(StringComparer.Ordinal));
        Assert.True(JointBuildingAgreement.Sign(Guid.NewGuid(), Guid.NewGuid(), Today, "小哥送服务，社区送便利", Today, Now).IsValid);
    }
}

using System.Net;
using Platform.Contracts;
using Platform.Organizations.Apis;
using Platform.Organizations.Domain;
using Platform.ServiceDefaults.Http;
using Platform.TestSupport;

namespace Platform.Organizations.Tests.Http;

/// <summary>Six haves, nine deliveries, inspections, spot checks, agreements and the ledger's figures, over HTTP.</summary>
public sealed class SupervisionApiTests(LocalInfrastructure infrastructure) : OrganizationsApiTest(infrastructure)
{
    private static readonly string[] SixItems = ["place", "facilities", "sign", "flag", "books", "rules"];
    private static readonly string[] AllFourChecks = ["safety-and-party-work", "business-and-party-guidance", "registration-and-party-data", "annual-report-and-party-supervision"];
    private static readonly string[] SafetyOnly = ["safety-and-party-work"];
    private static readonly string[] TwoProblems = ["党建工作手册未更新", "消防通道堵塞"];
    private static readonly string[] ThreeProblems = ["甲", "乙", "丙"];
    private static readonly string[] BlankProblem = [""];

    [Fact]
    public async Task An_organization_becomes_compliant_when_all_six_haves_are_verified_and_leaves_the_non_compliant_list()
    {
        var complete = await EstablishAsync("branch", name: "A支部");
        var partial = await EstablishAsync("branch", name: "B支部");
        foreach (var item in SixItems)
        {
            await PutSixHavesAsync(complete.Id, item, "2022-07-01");
        }
        await PutSixHavesAsync(partial.Id, "place", "2022-07-01");
        await PutSixHavesAsync(partial.Id, "flag", null);

        var checklist = await GetOkAsync<SixHavesResponse>($"/organizations/{partial.Id}/six-haves");
        var nonCompliant = await GetOkAsync<Page<NonCompliantResponse>>("/organizations/non-compliant");

        Assert.True((await GetOkAsync<SixHavesResponse>($"/organizations/{complete.Id}/six-haves")).Compliant);
        Assert.False(checklist.Compliant);
        Assert.Equal([SixHavesItem.Facilities, SixHavesItem.Sign, SixHavesItem.Flag, SixHavesItem.Books, SixHavesItem.Rules], checklist.Missing);
        Assert.Equal("现场核查照片", checklist.Items.Single(i => i.Item == SixHavesItem.Flag).Evidence);
        var listed = Assert.Single(nonCompliant.Items);
        Assert.Equal(partial.Id, listed.OrganizationId);
        Assert.Equal(checklist.Missing, listed.Missing);
    }

    [Fact]
    public async Task Bad_six_haves_input_is_refused()
    {
        var organization = await EstablishAsync("branch");
        var applied = await ApplyAsync("branch");

        using var badItem = await SendAsync(HttpMethod.Put, $"/organizations/{organization.Id}/six-haves/garden", new { evidence = "x" });
        using var noEvidence = await SendAsync(HttpMethod.Put, $"/organizations/{organization.Id}/six-haves/flag", new { verifiedOn = "2022-07-01" });
        using var notEstablished = await SendAsync(HttpMethod.Put, $"/organizations/{applied.Id}/six-haves/flag", new { evidence = "x" });
        using var unknown = await SendAsync(HttpMethod.Put, $"/organizations/{Guid.NewGuid()}/six-haves/flag", new { evidence = "x" });

        await ProblemAssert.IsProblemAsync(badItem, HttpStatusCode.BadRequest, "item");
        await ProblemAssert.IsProblemAsync(noEvidence, HttpStatusCode.BadRequest, "evidence");
        await ProblemAssert.IsProblemAsync(notEstablished, HttpStatusCode.Conflict);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task Nine_deliveries_show_what_was_delivered_when_and_what_is_outstanding()
    {
        var organization = await EstablishAsync("enterprise-committee", name: "顺丰廊坊党委");

        await PostExpectingAsync<DeliveriesResponse>($"/organizations/{organization.Id}/deliveries", new { item = "party-flag", deliveredOn = "2022-06-20", note = "党旗两面" }, HttpStatusCode.Created);
        var after = await PostExpectingAsync<DeliveriesResponse>($"/organizations/{organization.Id}/deliveries", new { item = "political-birthday-cards", deliveredOn = "2022-06-21" }, HttpStatusCode.Created);
        using var twice = await PostAsync($"/organizations/{organization.Id}/deliveries", new { item = "party-flag", deliveredOn = "2022-06-22" });
        using var beforeFounding = await PostAsync($"/organizations/{organization.Id}/deliveries", new { item = "seal", deliveredOn = "2022-06-01" });
        using var badItem = await PostRawAsync($"/organizations/{organization.Id}/deliveries", """{"item":"cake","deliveredOn":"2022-06-22"}""");

        Assert.Equal([DeliveryItem.PartyFlag, DeliveryItem.PoliticalBirthdayCards], after.Delivered.Select(d => d.Item));
        Assert.Equal(new DateOnly(2022, 6, 20), after.Delivered[0].DeliveredOn);
        Assert.Equal("党旗两面", after.Delivered[0].Note);
        Assert.Equal(7, after.Outstanding.Count);
        Assert.DoesNotContain(DeliveryItem.PartyFlag, after.Outstanding);
        await ProblemAssert.IsProblemAsync(twice, HttpStatusCode.Conflict);
        await ProblemAssert.IsProblemAsync(beforeFounding, HttpStatusCode.BadRequest, "deliveredOn");
        await ProblemAssert.IsProblemAsync(badItem, HttpStatusCode.BadRequest, "item");
        var outstanding = Assert.Single((await GetOkAsync<Page<OutstandingDeliveriesResponse>>("/organizations/deliveries-outstanding")).Items);
        Assert.Equal(after.Outstanding, outstanding.Outstanding);
    }

    [Fact]
    public async Task An_inspection_is_planned_completed_with_problems_publishing_InspectionCompleted_and_problems_are_resolved()
    {
        await using var listener = await ExchangeListener.ForAsync<InspectionCompleted>(Infrastructure);
        var enterprise = await RegisterEnterpriseAsync(ValidEnterprise());
        var planned = await PostExpectingAsync<InspectionResponse>("/inspections", new { enterpriseId = enterprise.Id, department = "market-regulation", plannedOn = "2022-08-20" }, HttpStatusCode.Created);

        var completed = await PostExpectingAsync<InspectionResponse>($"/inspections/{planned.Id}/completion", new
        {
            completedOn = "2022-08-21",
            checks = AllFourChecks,
            problems = TwoProblems,
        });
        var problem = completed.Problems[0];
        var resolved = await PostExpectingAsync<InspectionResponse>($"/inspections/{planned.Id}/problems/{problem.Id}/resolution", new { resolvedOn = "2022-08-30", note = "已更新" });

        Assert.Equal(InspectionStatus.Completed, completed.Status);
        Assert.True(completed.AllFourDone);
        Assert.Equal(2, completed.Problems.Count);
        Assert.Equal(ProblemStatus.Resolved, resolved.Problems.Single(p => p.Id == problem.Id).Status);
        Assert.Equal(new DateOnly(2022, 8, 30), resolved.Problems.Single(p => p.Id == problem.Id).ResolvedOn);
        var envelope = await listener.NextAsync(e => e.GetProperty("message").GetProperty("inspectionId").GetGuid() == planned.Id);
        Assert.Equal(enterprise.Id, envelope.GetProperty("message").GetProperty("enterpriseId").GetGuid());
        Assert.Equal(2, envelope.GetProperty("message").GetProperty("problemsFound").GetInt32());
        using var again = await PostAsync($"/inspections/{planned.Id}/completion", new { completedOn = "2022-08-22", checks = SafetyOnly });
        await ProblemAssert.IsProblemAsync(again, HttpStatusCode.Conflict);
        using var resolveAgain = await PostAsync($"/inspections/{planned.Id}/problems/{problem.Id}/resolution", new { resolvedOn = "2022-08-31", note = "again" });
        await ProblemAssert.IsProblemAsync(resolveAgain, HttpStatusCode.Conflict);
        var listed = await GetOkAsync<Page<InspectionResponse>>($"/inspections?enterpriseId={enterprise.Id}&status=completed");
        Assert.Equal([planned.Id], listed.Items.Select(i => i.Id));
    }

    [Fact]
    public async Task Bad_inspection_input_is_refused_naming_the_fields()
    {
        var enterprise = await RegisterEnterpriseAsync(ValidEnterprise());
        var planned = await PostExpectingAsync<InspectionResponse>("/inspections", new { enterpriseId = enterprise.Id, department = "transport", plannedOn = "2022-08-20" }, HttpStatusCode.Created);

        using var empty = await PostRawAsync("/inspections", "{}");
        using var unknownEnterprise = await PostAsync("/inspections", new { enterpriseId = Guid.NewGuid(), department = "transport", plannedOn = "2022-08-20" });
        using var badDepartment = await PostRawAsync("/inspections", $$"""{"enterpriseId":"{{enterprise.Id}}","department":"navy","plannedOn":"2022-08-20"}""");
        using var noChecks = await PostAsync($"/inspections/{planned.Id}/completion", new { completedOn = "2022-08-21", checks = Array.Empty<string>(), problems = BlankProblem });
        using var badCheck = await PostRawAsync($"/inspections/{planned.Id}/completion", """{"completedOn":"2022-08-21","checks":["paperwork"]}""");
        using var unknownProblem = await PostAsync($"/inspections/{planned.Id}/problems/{Guid.NewGuid()}/resolution", new { resolvedOn = "2022-08-30", note = "x" });

        await ProblemAssert.IsProblemAsync(empty, HttpStatusCode.BadRequest, "enterpriseId", "department", "plannedOn");
        await ProblemAssert.IsProblemAsync(unknownEnterprise, HttpStatusCode.BadRequest, "enterpriseId");
        await ProblemAssert.IsProblemAsync(badDepartment, HttpStatusCode.BadRequest, "department");
        await ProblemAssert.IsProblemAsync(noChecks, HttpStatusCode.BadRequest, "checks", "problems[0]");
        await ProblemAssert.IsProblemAsync(badCheck, HttpStatusCode.BadRequest);
        Assert.Equal(HttpStatusCode.NotFound, unknownProblem.StatusCode);
        using var badStatus = await Client.GetAsync(new Uri("/inspections?status=done", UriKind.Relative));
        await ProblemAssert.IsProblemAsync(badStatus, HttpStatusCode.BadRequest, "status");
    }

    [Fact]
    public async Task Planning_an_inspection_again_with_the_same_Idempotency_Key_creates_it_once()
    {
        var enterprise = await RegisterEnterpriseAsync(ValidEnterprise());
        var body = new { enterpriseId = enterprise.Id, department = "postal", plannedOn = "2022-08-20" };

        using var first = await PostAsync("/inspections", body, idempotencyKey: "plan-1");
        using var retry = await PostAsync("/inspections", body, idempotencyKey: "plan-1");

        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal((await ReadAsync<InspectionResponse>(first)).Id, (await ReadAsync<InspectionResponse>(retry)).Id);
        Assert.Equal(1, (await GetOkAsync<Page<InspectionResponse>>("/inspections")).Total);
    }

    [Fact]
    public async Task A_spot_check_picks_K_established_organizations_with_a_recorded_seed_that_reproduces_the_pick()
    {
        var established = new List<Guid>();
        for (var i = 0; i < 6; i++)
        {
            established.Add((await EstablishAsync("branch", name: $"支部{i}")).Id);
        }
        await ApplyAsync("branch", name: "未批准支部");

        var drawn = await PostExpectingAsync<SpotCheckResponse>("/spot-checks", new { count = 3, seed = "2022年9月抽查" }, HttpStatusCode.Created);
        var generated = await PostExpectingAsync<SpotCheckResponse>("/spot-checks", new { count = 2 }, HttpStatusCode.Created);
        var candidates = await GetOkAsync<SpotCheckCandidatesResponse>($"/spot-checks/{drawn.Id}/candidates");

        Assert.Equal(3, drawn.Picked.Count);
        Assert.Equal(6, drawn.Candidates);
        Assert.All(drawn.Picked, id => Assert.Contains(id, established));
        Assert.True(drawn.Reproducible);
        // An auditor's own computation: SHA-256 of "seed:id", lowest first.
        var audit = candidates.CandidateIds.OrderBy(id => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"2022年9月抽查:{id:D}"))), StringComparer.Ordinal).Take(3);
        Assert.Equal(audit, drawn.Picked);
        Assert.False(string.IsNullOrWhiteSpace(generated.Seed));
        Assert.Equal(drawn, (await GetOkAsync<SpotCheckResponse>($"/spot-checks/{drawn.Id}")) with { Picked = drawn.Picked });
        Assert.Equal(2, (await GetOkAsync<Page<SpotCheckResponse>>("/spot-checks")).Total);
        using var bad = await PostAsync("/spot-checks", new { count = 0 });
        await ProblemAssert.IsProblemAsync(bad, HttpStatusCode.BadRequest, "count");
    }

    [Fact]
    public async Task Joint_building_agreements_are_listed_by_enterprise_and_by_community()
    {
        var enterprise = await RegisterEnterpriseAsync(ValidEnterprise());
        var other = await RegisterEnterpriseAsync(ValidEnterprise());
        var community = await RegisterCommunityAsync(ValidCommunity());
        var a = await PostExpectingAsync<AgreementResponse>("/agreements", new { enterpriseId = enterprise.Id, communityId = community.Id, signedOn = "2022-07-01", terms = "小哥送服务，社区送便利" }, HttpStatusCode.Created);
        var b = await PostExpectingAsync<AgreementResponse>("/agreements", new { enterpriseId = other.Id, communityId = community.Id, signedOn = "2022-07-02", terms = "共建" }, HttpStatusCode.Created);

        var byEnterprise = await GetOkAsync<Page<AgreementResponse>>($"/agreements?enterpriseId={enterprise.Id}");
        var byCommunity = await GetOkAsync<Page<AgreementResponse>>($"/agreements?communityId={community.Id}&pageSize=1");

        Assert.Equal([a], byEnterprise.Items);
        Assert.Equal([b], byCommunity.Items);
        Assert.Equal(2, byCommunity.Total);
        using var twice = await PostAsync("/agreements", new { enterpriseId = enterprise.Id, communityId = community.Id, signedOn = "2022-07-01", terms = "again" });
        await ProblemAssert.IsProblemAsync(twice, HttpStatusCode.Conflict);
        using var unknown = await PostAsync("/agreements", new { enterpriseId = Guid.NewGuid(), communityId = Guid.NewGuid(), signedOn = "2022-07-01", terms = "x" });
        await ProblemAssert.IsProblemAsync(unknown, HttpStatusCode.BadRequest, "enterpriseId", "communityId");
        using var empty = await PostRawAsync("/agreements", "{}");
        await ProblemAssert.IsProblemAsync(empty, HttpStatusCode.BadRequest, "enterpriseId", "communityId", "signedOn", "terms");
    }

    [Fact]
    public async Task Stats_count_what_the_ledger_holds()
    {
        var community = await RegisterCommunityAsync(ValidCommunity());
        var depots = new List<EnterpriseResponse>();
        for (var i = 0; i < 4; i++)
        {
            depots.Add(await RegisterEnterpriseAsync(ValidEnterprise()));
        }
        var industry = await EstablishAsync("industry-committee", name: "外卖行业党委");
        var committee = await EstablishAsync("enterprise-committee", industry.Id, [depots[0].Id, depots[1].Id], name: "顺丰党委");
        await EstablishAsync("branch", committee.Id, [depots[2].Id], name: "站点支部");
        await EstablishAsync("general-branch", localCommunityId: community.Id, name: "社区党总支");
        await ApplyAsync("branch", name: "待批支部");
        foreach (var item in SixItems)
        {
            await PutSixHavesAsync(committee.Id, item, "2022-07-01");
        }
        var inspection = await PostExpectingAsync<InspectionResponse>("/inspections", new { enterpriseId = depots[0].Id, department = "market-regulation", plannedOn = "2022-08-20" }, HttpStatusCode.Created);
        await PostExpectingAsync<InspectionResponse>("/inspections", new { enterpriseId = depots[1].Id, department = "transport", plannedOn = "2022-09-20" }, HttpStatusCode.Created);
        var done = await PostExpectingAsync<InspectionResponse>($"/inspections/{inspection.Id}/completion", new { completedOn = "2022-08-21", checks = SafetyOnly, problems = ThreeProblems });
        await PostExpectingAsync<InspectionResponse>($"/inspections/{inspection.Id}/problems/{done.Problems[0].Id}/resolution", new { resolvedOn = "2022-08-25", note = "已整改" });
        await PostExpectingAsync<AgreementResponse>("/agreements", new { enterpriseId = depots[3].Id, communityId = community.Id, signedOn = "2022-07-01", terms = "共建" }, HttpStatusCode.Created);

        var stats = await GetOkAsync<StatsResponse>("/stats");

        Assert.Equal(new OrganizationCounts(1, 1, 1, 1, 1, 0), stats.Organizations);
        Assert.Equal((4, 3, 1), (stats.Enterprises, stats.EnterprisesCovered, stats.EnterprisesUncovered));
        Assert.Equal((1, 1), (stats.InspectionsPlanned, stats.InspectionsCompleted));
        Assert.Equal((3, 1), (stats.ProblemsFound, stats.ProblemsSolved));
        Assert.Equal(1, stats.Agreements);
        Assert.Equal((1, 3), (stats.SixHavesCompliant, stats.SixHavesNonCompliant));
        Assert.Equal((0, 0, 0), (stats.Members, stats.FallbackMembers, stats.NineDeliveriesComplete));
    }

    private async Task PutSixHavesAsync(Guid organizationId, string item, string? verifiedOn)
    {
        using var response = await SendAsync(HttpMethod.Put, $"/organizations/{organizationId}/six-haves/{item}", new { evidence = "现场核查照片", verifiedOn });
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }
}

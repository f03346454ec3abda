using System.Net;
using Platform.Contracts;
using Platform.Organizations.Apis;
using Platform.Organizations.Domain;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.Security;
using Platform.TestSupport;

namespace Platform.Organizations.Tests.Http;

/// <summary>The organization tree and its founding workflow, over HTTP on the real service.</summary>
public sealed class PartyOrganizationsApiTests(LocalInfrastructure infrastructure) : OrganizationsApiTest(infrastructure)
{
    private static readonly Guid[] NoIds = [];

    [Fact]
    public async Task Approving_an_application_establishes_the_organization_and_publishes_PartyOrganizationEstablished()
    {
        await using var listener = await ExchangeListener.ForAsync<PartyOrganizationEstablished>(Infrastructure);
        var depot = await RegisterEnterpriseAsync(ValidEnterprise(industry: "express", name: "顺丰廊坊分部"));
        var industry = await EstablishAsync("industry-committee", name: "廊坊市快递行业党委");
        var applied = await ApplyAsync("enterprise-committee", industry.Id, [depot.Id], name: "顺丰廊坊党委");
        Assert.Equal(FoundingStatus.Applied, applied.Status);

        var approved = await ApproveAsync(applied.Id, "2022-06-15");

        Assert.Equal(FoundingStatus.Approved, approved.Status);
        Assert.Equal(new DateOnly(2022, 6, 15), approved.ApprovedOn);
        Assert.Equal("市委两新工委", approved.ApprovingBody);
        var envelope = await listener.NextAsync(e => e.GetProperty("message").GetProperty("organizationId").GetGuid() == applied.Id);
        var message = envelope.GetProperty("message");
        Assert.Equal("enterprise-committee", message.GetProperty("kind").GetString());
        Assert.Equal(industry.Id, message.GetProperty("parentId").GetGuid());
        Assert.Equal([depot.Id], message.GetProperty("enterpriseIds").EnumerateArray().Select(e => e.GetGuid()));
        Assert.Equal("2022-06-15", message.GetProperty("establishedOn").GetString());
        var readBack = await GetOkAsync<OrganizationResponse>($"/organizations/{applied.Id}");
        Assert.Equal(approved with { EnterpriseIds = NoIds }, readBack with { EnterpriseIds = NoIds });
        Assert.Equal([depot.Id], readBack.EnterpriseIds);
    }

    [Fact]
    public async Task A_rejected_application_keeps_its_reason_publishes_nothing_and_frees_its_enterprises()
    {
        await using var listener = await ExchangeListener.ForAsync<PartyOrganizationEstablished>(Infrastructure);
        var depot = await RegisterEnterpriseAsync(ValidEnterprise());
        var applied = await ApplyAsync("branch", enterpriseIds: [depot.Id]);

        var rejected = await PostExpectingAsync<OrganizationResponse>($"/organizations/{applied.Id}/rejection", new { rejectedOn = "2022-05-20", reason = "正式党员不足三名" });

        Assert.Equal(FoundingStatus.Rejected, rejected.Status);
        Assert.Equal("正式党员不足三名", rejected.RejectionReason);
        // The depot can now be asked for by another application.
        var again = await ApplyAsync("branch", enterpriseIds: [depot.Id]);
        Assert.Equal([depot.Id], again.EnterpriseIds);
        using var approveRejected = await PostAsync($"/organizations/{applied.Id}/approval", new { approvedOn = "2022-06-01", approvingBody = "市委" });
        await ProblemAssert.IsProblemAsync(approveRejected, HttpStatusCode.Conflict);
        await WaitForEmptyOutboxAsync();
        await Assert.ThrowsAsync<TimeoutException>(() => listener.NextAsync(timeout: TimeSpan.FromSeconds(2)));
    }

    [Fact]
    public async Task Approving_twice_is_a_409_and_a_date_before_the_application_a_400_naming_it()
    {
        var applied = await ApplyAsync("branch");

        using var early = await PostAsync($"/organizations/{applied.Id}/approval", new { approvedOn = "2022-04-30", approvingBody = "市委" });
        await ProblemAssert.IsProblemAsync(early, HttpStatusCode.BadRequest, "approvedOn");
        await ApproveAsync(applied.Id);
        using var twice = await PostAsync($"/organizations/{applied.Id}/approval", new { approvedOn = "2022-06-16", approvingBody = "市委" });

        await ProblemAssert.IsProblemAsync(twice, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Moving_an_organization_under_its_own_descendant_is_refused_as_a_cycle()
    {
        var city = await EstablishAsync("industry-committee", name: "市外卖行业党委");
        var county = await EstablishAsync("industry-committee", city.Id, name: "广阳区外卖行业党委");
        var branch = await EstablishAsync("branch", county.Id, name: "美团广阳站党支部");

        using var cycle = await SendAsync(HttpMethod.Put, $"/organizations/{city.Id}/parent", new { parentId = county.Id });
        using var self = await SendAsync(HttpMethod.Put, $"/organizations/{city.Id}/parent", new { parentId = city.Id });
        using var underBranch = await SendAsync(HttpMethod.Put, $"/organizations/{county.Id}/parent", new { parentId = branch.Id });

        var problem = await ProblemAssert.IsProblemAsync(cycle, HttpStatusCode.UnprocessableEntity);
        Assert.Contains("cycle", problem.GetProperty("title").GetString(), StringComparison.OrdinalIgnoreCase);
        await ProblemAssert.IsProblemAsync(self, HttpStatusCode.UnprocessableEntity);
        await ProblemAssert.IsProblemAsync(underBranch, HttpStatusCode.UnprocessableEntity);
        Assert.Null((await GetOkAsync<OrganizationResponse>($"/organizations/{city.Id}")).ParentId);
    }

    [Fact]
    public async Task Moving_to_another_parent_changes_the_tree_as_listed_by_parent()
    {
        var a = await EstablishAsync("industry-committee", name: "A甲党委");
        var b = await EstablishAsync("industry-committee", name: "B乙党委");
        var branch = await EstablishAsync("branch", a.Id, name: "丙支部");

        using var moved = await SendAsync(HttpMethod.Put, $"/organizations/{branch.Id}/parent", new { parentId = b.Id });

        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        Assert.Empty((await GetOkAsync<Page<OrganizationResponse>>($"/organizations?parentId={a.Id}")).Items);
        Assert.Equal([branch.Id], (await GetOkAsync<Page<OrganizationResponse>>($"/organizations?parentId={b.Id}")).Items.Select(o => o.Id));
        Assert.Equal(["A甲党委", "B乙党委"], (await GetOkAsync<Page<OrganizationResponse>>("/organizations?topLevel=true")).Items.Select(o => o.Name));
    }

    [Fact]
    public async Task An_enterprise_covered_by_one_organization_cannot_be_covered_by_another()
    {
        var depot = await RegisterEnterpriseAsync(ValidEnterprise());
        var first = await EstablishAsync("branch", enterpriseIds: [depot.Id], name: "第一支部");
        var second = await EstablishAsync("branch", name: "第二支部");

        using var apply = await PostAsync("/organizations", new { name = "第三支部", kind = "branch", appliedOn = "2022-05-01", enterpriseIds = new[] { depot.Id } });
        using var cover = await PostAsync($"/organizations/{second.Id}/enterprises", new { enterpriseId = depot.Id });

        var problem = await ProblemAssert.IsProblemAsync(apply, HttpStatusCode.Conflict);
        Assert.Contains(first.Id.ToString(), problem.GetProperty("detail").GetString());
        await ProblemAssert.IsProblemAsync(cover, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Bad_applications_are_400_problems_naming_each_field()
    {
        using var empty = await PostRawAsync("/organizations", "{}");
        using var unknownParent = await PostAsync("/organizations", new { name = "支部", kind = "branch", appliedOn = "2022-05-01", parentId = Guid.NewGuid() });
        using var unknownEnterprise = await PostAsync("/organizations", new { name = "支部", kind = "branch", appliedOn = "2022-05-01", enterpriseIds = new[] { Guid.NewGuid() } });
        using var unknownCommunity = await PostAsync("/organizations", new { name = "支部", kind = "branch", appliedOn = "2022-05-01", localCommunityId = Guid.NewGuid() });
        using var badKind = await PostRawAsync("/organizations", """{"name":"支部","kind":"cell","appliedOn":"2022-05-01"}""");
        using var badDate = await PostRawAsync("/organizations", """{"name":"支部","kind":"branch","appliedOn":"2022-13-01"}""");

        var problem = await ProblemAssert.IsProblemAsync(empty, HttpStatusCode.BadRequest, "name", "kind", "appliedOn");
        Assert.Equal(["appliedOn", "kind", "name"], ProblemAssert.ErrorFields(problem));
        await ProblemAssert.IsProblemAsync(unknownParent, HttpStatusCode.BadRequest, "parentId");
        await ProblemAssert.IsProblemAsync(unknownEnterprise, HttpStatusCode.BadRequest, "enterpriseIds");
        await ProblemAssert.IsProblemAsync(unknownCommunity, HttpStatusCode.BadRequest, "localCommunityId");
        await ProblemAssert.IsProblemAsync(badKind, HttpStatusCode.BadRequest, "kind");
        await ProblemAssert.IsProblemAsync(badDate, HttpStatusCode.BadRequest, "appliedOn");
    }

    [Fact]
    public async Task A_community_has_one_local_organization()
    {
        var community = await RegisterCommunityAsync(ValidCommunity());
        await EstablishAsync("general-branch", localCommunityId: community.Id, name: "银河北路社区党总支");

        using var second = await PostAsync("/organizations", new { name = "另一个", kind = "branch", appliedOn = "2022-05-01", localCommunityId = community.Id });

        await ProblemAssert.IsProblemAsync(second, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task The_list_is_paged_and_filtered_by_kind_and_status()
    {
        await EstablishAsync("branch", name: "A支部");
        await EstablishAsync("branch", name: "B支部");
        await ApplyAsync("branch", name: "C支部");
        await EstablishAsync("general-branch", name: "D总支");

        var first = await GetOkAsync<Page<OrganizationResponse>>("/organizations?kind=branch&pageSize=2");
        var second = await GetOkAsync<Page<OrganizationResponse>>("/organizations?kind=branch&pageSize=2&page=2");
        var applied = await GetOkAsync<Page<OrganizationResponse>>("/organizations?status=applied");

        Assert.Equal(["A支部", "B支部"], first.Items.Select(o => o.Name));
        Assert.Equal(["C支部"], second.Items.Select(o => o.Name));
        Assert.Equal(3, first.Total);
        Assert.Equal(["C支部"], applied.Items.Select(o => o.Name));
        using var badKind = await Client.GetAsync(new Uri("/organizations?kind=cell", UriKind.Relative));
        await ProblemAssert.IsProblemAsync(badKind, HttpStatusCode.BadRequest, "kind");
        using var badPage = await Client.GetAsync(new Uri("/organizations?pageSize=0", UriKind.Relative));
        await ProblemAssert.IsProblemAsync(badPage, HttpStatusCode.BadRequest, "pageSize");
    }

    [Fact]
    public async Task Uncovered_enterprises_are_listed_with_the_local_organization_they_fall_back_to()
    {
        var community = await RegisterCommunityAsync(ValidCommunity());
        var district = UniqueDistrict();
        var covered = await RegisterEnterpriseAsync(new { name = "A甲站", creditCode = CreditCodes.Unique(), industry = "express", district, communityId = community.Id });
        var uncovered = await RegisterEnterpriseAsync(new { name = "B乙站", creditCode = CreditCodes.Unique(), industry = "express", district, communityId = community.Id });
        var pending = await RegisterEnterpriseAsync(new { name = "C丙站", creditCode = CreditCodes.Unique(), industry = "express", district });
        await EstablishAsync("branch", enterpriseIds: [covered.Id]);
        var local = await EstablishAsync("general-branch", localCommunityId: community.Id, name: "社区党总支");
        var application = await ApplyAsync("branch", enterpriseIds: [pending.Id]);

        var page = await GetOkAsync<Page<UncoveredEnterpriseResponse>>($"/enterprises/uncovered?district={Uri.EscapeDataString(district)}");

        Assert.Equal(
            [
                new UncoveredEnterpriseResponse(uncovered.Id, "B乙站", district, community.Id, local.Id, null),
                new UncoveredEnterpriseResponse(pending.Id, "C丙站", district, null, null, application.Id),
            ],
            page.Items);
        Assert.Equal(2, page.Total);
    }

    [Fact]
    public async Task A_worker_or_community_staff_token_cannot_write_or_read_organizations()
    {
        using var worker = Service.CreateHttpClient(TestTokens.ForWorker(Guid.NewGuid()));
        using var staff = Service.CreateHttpClient(TestTokens.For(PlatformRoles.CommunityStaff));
        using var anonymous = Service.CreateHttpClient();
        var body = new StringContent("""{"name":"支部","kind":"branch","appliedOn":"2022-05-01"}""", System.Text.Encoding.UTF8, "application/json");

        using var workerPost = await worker.PostAsync(new Uri("/organizations", UriKind.Relative), body);
        using var staffGet = await staff.GetAsync(new Uri("/organizations", UriKind.Relative));
        using var workerStats = await worker.GetAsync(new Uri("/stats", UriKind.Relative));
        using var anonymousGet = await anonymous.GetAsync(new Uri("/organizations", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Forbidden, workerPost.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, staffGet.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, workerStats.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymousGet.StatusCode);
        Assert.Empty((await GetOkAsync<Page<OrganizationResponse>>("/organizations")).Items);
    }

    [Theory]
    [InlineData("POST", "/organizations")]
    [InlineData("POST", "/organizations/{id}/approval")]
    [InlineData("POST", "/organizations/{id}/rejection")]
    [InlineData("PUT", "/organizations/{id}/parent")]
    [InlineData("POST", "/organizations/{id}/enterprises")]
    [InlineData("PUT", "/organizations/{id}/six-haves/flag")]
    [InlineData("POST", "/organizations/{id}/deliveries")]
    [InlineData("POST", "/members/{id}/transfers")]
    [InlineData("PUT", "/members/{id}/joined-party-on")]
    [InlineData("POST", "/inspections")]
    [InlineData("POST", "/inspections/{id}/completion")]
    [InlineData("POST", "/inspections/{id}/problems/{id}/resolution")]
    [InlineData("POST", "/spot-checks")]
    [InlineData("POST", "/agreements")]
    public async Task A_worker_token_cannot_write(string method, string path)
    {
        using var worker = Service.CreateHttpClient(TestTokens.ForWorker(Guid.NewGuid()));
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path.Replace("{id}", Guid.NewGuid().ToString(), StringComparison.Ordinal), UriKind.Relative))
        {
            Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json"),
        };

        using var response = await worker.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task An_operator_may_do_what_an_officer_does()
    {
        using var operatorClient = Service.CreateHttpClient(TestTokens.For(PlatformRoles.Operator));

        using var response = await operatorClient.PostAsync(new Uri("/organizations", UriKind.Relative),
            new StringContent("""{"name":"支部","kind":"branch","appliedOn":"2022-05-01"}""", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }
}

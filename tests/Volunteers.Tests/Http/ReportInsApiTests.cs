using System.Net;
using Platform.Contracts;
using Platform.ServiceDefaults.Http;
using Platform.TestSupport;
using Platform.Volunteers.Apis;
using Platform.Volunteers.Domain;

namespace Platform.Volunteers.Tests.Http;

public sealed class ReportInsApiTests(LocalInfrastructure infrastructure) : VolunteersApiTest(infrastructure)
{
    [Fact]
    public async Task The_community_s_staff_confirm_a_report_in_and_WorkerReportedToCommunity_is_published()
    {
        await using var listener = await ExchangeListener.ForAsync<WorkerReportedToCommunity>(Infrastructure);
        var enterpriseId = await EnterpriseAsync();
        var community = await CommunityAsync(UniqueDistrict());
        var workerId = Guid.NewGuid();
        await RegisterWorkerAsync(workerId, enterpriseId);

        using var requested = await PostAsync(Worker(workerId), "/workers/me/report-ins", new { communityId = community });
        Assert.Equal(HttpStatusCode.Created, requested.StatusCode);
        var reportIn = await ReadAsync<ReportInView>(requested);
        Assert.Equal((ReportInStatus.Pending, "银河北路社区"), (reportIn.Status, reportIn.CommunityName));

        var pending = await GetOkAsync<Page<ReportInForStaff>>(Staff(community), "/report-ins?status=pending");
        var waiting = Assert.Single(pending.Items);
        Assert.Equal((reportIn.Id, "张**"), (waiting.Id, waiting.Worker.Name));

        using var confirmed = await Staff(community).PostAsync(new Uri($"/report-ins/{reportIn.Id}/confirm", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Equal(ReportInStatus.Active, (await ReadAsync<ReportInView>(confirmed)).Status);
        Assert.Equal(community, (await GetOkAsync<WorkerProfile>(Worker(workerId), "/workers/me")).CommunityId);

        var envelope = await listener.NextAsync(e => e.GetProperty("message").GetProperty("workerId").GetGuid() == workerId);
        Assert.Equal(community, envelope.GetProperty("message").GetProperty("communityId").GetGuid());

        using var twice = await Staff(community).PostAsync(new Uri($"/report-ins/{reportIn.Id}/confirm", UriKind.Relative), null);
        await ProblemAssert.IsProblemAsync(twice, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Staff_of_another_community_neither_see_nor_decide_the_report_in()
    {
        var enterpriseId = await EnterpriseAsync();
        var district = UniqueDistrict();
        var community = await CommunityAsync(district);
        var other = await CommunityAsync(district, name: "别的社区");
        var workerId = Guid.NewGuid();
        await RegisterWorkerAsync(workerId, enterpriseId);
        using var requested = await PostAsync(Worker(workerId), "/workers/me/report-ins", new { communityId = community });
        var reportIn = await ReadAsync<ReportInView>(requested);

        Assert.Equal(0, (await GetOkAsync<Page<ReportInForStaff>>(Staff(other), "/report-ins")).Total);
        using var confirm = await Staff(other).PostAsync(new Uri($"/report-ins/{reportIn.Id}/confirm", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.NotFound, confirm.StatusCode);
        using var byWorker = await Worker(workerId).PostAsync(new Uri($"/report-ins/{reportIn.Id}/confirm", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.Forbidden, byWorker.StatusCode);
        Assert.Equal(ReportInStatus.Pending, Assert.Single((await GetOkAsync<Page<ReportInView>>(Worker(workerId), "/workers/me/report-ins")).Items).Status);
    }

    [Fact]
    public async Task One_request_waits_at_a_time_and_a_confirmed_move_ends_the_earlier_community()
    {
        var enterpriseId = await EnterpriseAsync();
        var district = UniqueDistrict();
        var first = await CommunityAsync(district);
        var second = await CommunityAsync(district, name: "新社区");
        var workerId = await WorkerServingInAsync(first, enterpriseId);

        using var move = await PostAsync(Worker(workerId), "/workers/me/report-ins", new { communityId = second });
        var moving = await ReadAsync<ReportInView>(move);
        using var another = await PostAsync(Worker(workerId), "/workers/me/report-ins", new { communityId = first });
        await ProblemAssert.IsProblemAsync(another, HttpStatusCode.Conflict);
        using var confirmed = await Staff(second).PostAsync(new Uri($"/report-ins/{moving.Id}/confirm", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);

        var mine = await GetOkAsync<Page<ReportInView>>(Worker(workerId), "/workers/me/report-ins");
        Assert.Equal([ReportInStatus.Active, ReportInStatus.Ended], mine.Items.Select(r => r.Status));
        Assert.Equal(second, mine.Items[0].CommunityId);
        Assert.Equal(0, (await GetOkAsync<Page<WorkerSummary>>(Staff(first), "/workers")).Total);
        Assert.Equal(1, (await GetOkAsync<Page<WorkerSummary>>(Staff(second), "/workers")).Total);
    }

    [Fact]
    public async Task Declining_needs_a_reason_and_a_declined_request_cannot_be_confirmed()
    {
        var enterpriseId = await EnterpriseAsync();
        var community = await CommunityAsync(UniqueDistrict());
        var workerId = Guid.NewGuid();
        await RegisterWorkerAsync(workerId, enterpriseId);
        using var requested = await PostAsync(Worker(workerId), "/workers/me/report-ins", new { communityId = community });
        var reportIn = await ReadAsync<ReportInView>(requested);
        var staff = Staff(community);

        using var noReason = await PostAsync(staff, $"/report-ins/{reportIn.Id}/decline", new { reason = " " });
        await ProblemAssert.IsProblemAsync(noReason, HttpStatusCode.BadRequest, "reason");
        using var declined = await PostAsync(staff, $"/report-ins/{reportIn.Id}/decline", new { reason = "不在本社区工作" });
        Assert.Equal(HttpStatusCode.OK, declined.StatusCode);
        using var confirm = await staff.PostAsync(new Uri($"/report-ins/{reportIn.Id}/confirm", UriKind.Relative), null);
        await ProblemAssert.IsProblemAsync(confirm, HttpStatusCode.Conflict);

        var mine = Assert.Single((await GetOkAsync<Page<ReportInView>>(Worker(workerId), "/workers/me/report-ins")).Items);
        Assert.Equal((ReportInStatus.Declined, "不在本社区工作"), (mine.Status, mine.DeclineReason));
    }

    [Fact]
    public async Task An_unknown_community_is_400_and_an_unregistered_worker_404()
    {
        var enterpriseId = await EnterpriseAsync();
        var workerId = Guid.NewGuid();
        await RegisterWorkerAsync(workerId, enterpriseId);
        var community = await CommunityAsync(UniqueDistrict());

        using var unknown = await PostAsync(Worker(workerId), "/workers/me/report-ins", new { communityId = Guid.NewGuid() });
        await ProblemAssert.IsProblemAsync(unknown, HttpStatusCode.BadRequest, "communityId");
        using var missing = await PostAsync(Worker(workerId), "/workers/me/report-ins", new { });
        await ProblemAssert.IsProblemAsync(missing, HttpStatusCode.BadRequest, "communityId");
        using var stranger = await PostAsync(Worker(Guid.NewGuid()), "/workers/me/report-ins", new { communityId = community });
        await ProblemAssert.IsProblemAsync(stranger, HttpStatusCode.NotFound);
    }
}

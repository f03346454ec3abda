using System.Net;
using Platform.Rights.Apis;
using Platform.Rights.Domain;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.Security;
using Platform.TestSupport;

namespace Platform.Rights.Tests.Http;

/// <summary>Joint activities with partners, and the figures of <c>GET /stats</c>.</summary>
public sealed class ActivitiesAndStatsTests(LocalInfrastructure infrastructure) : RightsApiTest(infrastructure)
{
    private static readonly string[] FairPartners = ["trade-union", "hr-bureau", "trade-union"];

    [Fact]
    public async Task A_job_fair_is_scheduled_seen_by_workers_and_held_with_participants_counted()
    {
        var supervisor = Supervisor();
        var fair = await PostOkAsync<ActivityView>(supervisor, "/activities", new
        {
            title = "新就业群体专场招聘会", kind = "job-fair", partners = FairPartners,
            scheduledAt = Clock.GetUtcNow().AddDays(2), location = "廊坊市人力资源市场", district = "广阳区",
        }, HttpStatusCode.Created);
        Assert.Equal([ActivityPartner.HrBureau, ActivityPartner.TradeUnion], fair.Partners);

        var upcoming = await GetOkAsync<Page<ActivityView>>(Worker(Guid.NewGuid()), "/activities?status=scheduled");
        Assert.Equal(fair.Id, Assert.Single(upcoming.Items).Id);

        using (var early = await PostAsync(supervisor, $"/activities/{fair.Id}/held", new { participants = 120 }))
        {
            await ProblemAssert.IsProblemAsync(early, HttpStatusCode.Conflict);
        }
        Clock.Advance(TimeSpan.FromDays(2.1));
        var held = await PostOkAsync<ActivityView>(supervisor, $"/activities/{fair.Id}/held", new { participants = 120 });
        Assert.Equal(ActivityStatus.Held, held.Status);
        Assert.Equal(120, held.Participants);
        using (var cancel = await PostAsync(supervisor, $"/activities/{fair.Id}/cancellation", null))
        {
            await ProblemAssert.IsProblemAsync(cancel, HttpStatusCode.Conflict);
        }
        using var byWorker = await PostAsync(Worker(Guid.NewGuid()), "/activities", new { title = "x" });
        Assert.Equal(HttpStatusCode.Forbidden, byWorker.StatusCode);

        var stats = await GetOkAsync<RightsStats>(supervisor, "/stats");
        Assert.Equal(1, stats.ActivitiesHeld);
        Assert.Equal(120, stats.ActivityParticipants);
    }

    [Fact]
    public async Task A_time_given_in_beijing_time_is_kept_as_the_same_instant()
    {
        var beijing = Clock.GetUtcNow().AddDays(3).ToOffset(TimeSpan.FromHours(8));

        var clinic = await PostOkAsync<ActivityView>(Supervisor(), "/activities", new
        {
            title = "骑手健康义诊", kind = "health-clinic", partners = new[] { "hospital" },
            scheduledAt = beijing, location = "广阳区红色驿站", district = "广阳区",
        }, HttpStatusCode.Created);

        Assert.Equal(beijing.UtcTicks / 10, clinic.ScheduledAt.UtcTicks / 10);
        var listed = await GetOkAsync<Page<ActivityView>>(Supervisor(), "/activities?status=scheduled");
        Assert.Equal(clinic.ScheduledAt, Assert.Single(listed.Items).ScheduledAt);
    }

    [Fact]
    public async Task Bad_activities_are_400_naming_each_field()
    {
        using var response = await PostAsync(Supervisor(), "/activities", new { partners = Array.Empty<string>(), scheduledAt = Clock.GetUtcNow().AddDays(-1) });

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "title", "kind", "location", "partners", "scheduledAt");
        Assert.Equal(["kind", "location", "partners", "scheduledAt", "title"], ProblemAssert.ErrorFields(problem));
    }

    [Fact]
    public async Task Stats_count_cases_by_category_channel_and_status_with_median_times_satisfaction_and_calls()
    {
        var worker = Worker(Guid.NewGuid());
        var legal = await RegisterProfessionalAsync("legal");
        var first = await SubmitAsync(worker, "一", category: "unpaid-wages");
        var second = await SubmitAsync(worker, "二", category: "unpaid-wages");
        await PostOkAsync<CaseReceipt>(Professional(legal), "/cases", new { category = "traffic-accident-or-injury", channel = "station", description = "三", workerId = Guid.NewGuid() }, HttpStatusCode.Created);
        Clock.Advance(TimeSpan.FromMinutes(30));
        await StartWithAsync(first.Id, legal);
        Clock.Advance(TimeSpan.FromMinutes(60));
        await StartWithAsync(second.Id, legal);
        Clock.Advance(TimeSpan.FromHours(2));
        await PostOkAsync<CaseSummary>(Professional(legal), $"/cases/{first.Id}/resolution", new { summary = "ok" });
        await PostOkAsync<CaseSummary>(worker, $"/cases/{first.Id}/closure", new { satisfaction = 5 });
        await PostOkAsync<CallView>(Professional(legal), "/hotline/calls", new { startedAt = Clock.GetUtcNow(), durationSeconds = 60, category = "unpaid-wages", outcome = "advice-given" }, HttpStatusCode.Created);

        var stats = await GetOkAsync<RightsStats>(ClientFor(TestTokens.For(PlatformRoles.Operator)), "/stats");

        Assert.Equal(3, stats.Cases);
        Assert.Equal([new CountBy<CaseCategory>(CaseCategory.UnpaidWages, 2), new CountBy<CaseCategory>(CaseCategory.TrafficAccidentOrInjury, 1)], stats.ByCategory);
        Assert.Equal([new CountBy<CaseChannel>(CaseChannel.App, 2), new CountBy<CaseChannel>(CaseChannel.Station, 1)], stats.ByChannel);
        Assert.Equal([new CountBy<CaseStatus>(CaseStatus.Submitted, 1), new CountBy<CaseStatus>(CaseStatus.InProgress, 1), new CountBy<CaseStatus>(CaseStatus.Closed, 1)], stats.ByStatus);
        // First responses after 30 and 90 minutes: median 60. One resolution after 3.5 h.
        Assert.Equal(60, stats.MedianFirstResponseMinutes!.Value, 0);
        Assert.Equal(3.5, stats.MedianResolutionHours!.Value, 1);
        Assert.Equal(1, stats.Satisfaction.Scored);
        Assert.Equal(5, stats.Satisfaction.Average);
        Assert.Equal(1, stats.HotlineCalls);
        Assert.Equal(0, stats.Overdue);
        Assert.Equal(HttpStatusCode.Forbidden, await StatusOfGetAsync(worker, "/stats"));
    }
}

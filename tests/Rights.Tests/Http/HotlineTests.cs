using System.Net;
using Platform.Rights.Apis;
using Platform.Rights.Domain;
using Platform.ServiceDefaults.Http;
using Platform.TestSupport;

namespace Platform.Rights.Tests.Http;

/// <summary>The hotline: calls logged, a crisis call opening a crisis case and alerting supervisors, stats per day.</summary>
public sealed class HotlineTests(LocalInfrastructure infrastructure) : RightsApiTest(infrastructure)
{
    [Fact]
    public async Task A_crisis_call_opens_a_crisis_case_at_once_and_alerts_supervisors()
    {
        var takerId = await RegisterProfessionalAsync("counselling");
        var taker = Professional(takerId);
        var supervisor = Supervisor();
        Assert.Empty((await GetOkAsync<Page<AlertView>>(supervisor, "/alerts")).Items);

        var call = await PostOkAsync<CallView>(taker, "/hotline/calls", new
        {
            startedAt = Clock.GetUtcNow().AddMinutes(-12), durationSeconds = 700, category = "psychological-support",
            crisis = true, description = "来电者表示想轻生", callbackNumber = "138 0000 9999", district = "广阳区",
        }, HttpStatusCode.Created);

        Assert.True(call.Crisis);
        Assert.Equal(CallOutcome.CaseOpened, call.Outcome);
        var caseId = call.CaseId!.Value;
        var progress = await GetOkAsync<CaseDetail>(supervisor, $"/cases/{caseId}");
        Assert.Equal(Urgency.Crisis, progress.Urgency);
        Assert.Equal(CaseChannel.Hotline, progress.Channel);
        Assert.Equal(TimeSpan.FromHours(1), progress.FirstResponseDueAt - progress.SubmittedAt);

        var alert = Assert.Single((await GetOkAsync<Page<AlertView>>(supervisor, "/alerts")).Items);
        Assert.Equal(AlertKind.CrisisCase, alert.Kind);
        Assert.Equal(caseId, alert.CaseId);

        // A crisis case is assigned without a separate triage, to the counsellor on the phone if need be.
        await PostOkAsync<CaseSummary>(supervisor, $"/cases/{caseId}/assignment", new { professionalId = takerId });
        Assert.Equal("13800009999", (await GetOkAsync<CaseDetail>(taker, $"/cases/{caseId}")).Content!.CallbackNumber);

        var supervisorId = Guid.NewGuid();
        var acknowledged = await PostOkAsync<AlertView>(Supervisor(supervisorId), $"/alerts/{alert.Id}/acknowledgement", null);
        Assert.Equal(supervisorId, acknowledged.AcknowledgedBy);
        Assert.Empty((await GetOkAsync<Page<AlertView>>(supervisor, "/alerts")).Items);
        Assert.Single((await GetOkAsync<Page<AlertView>>(supervisor, "/alerts?open=false")).Items);
        using var twice = await PostAsync(supervisor, $"/alerts/{alert.Id}/acknowledgement", null);
        await ProblemAssert.IsProblemAsync(twice, HttpStatusCode.Conflict);
        // Alerts are for supervisors.
        Assert.Equal(HttpStatusCode.Forbidden, await StatusOfGetAsync(taker, "/alerts"));
    }

    [Fact]
    public async Task A_worker_asking_with_crisis_urgency_through_the_app_alerts_supervisors_too()
    {
        var receipt = await SubmitAsync(Worker(Guid.NewGuid()), "我不想活了", category: "psychological-support", urgency: "crisis");

        var alert = Assert.Single((await GetOkAsync<Page<AlertView>>(Supervisor(), "/alerts")).Items);
        Assert.Equal(receipt.Id, alert.CaseId);
    }

    [Fact]
    public async Task Calls_are_logged_linked_to_cases_and_counted_per_local_day_and_category()
    {
        var taker = Professional(Guid.NewGuid());
        var receipt = await SubmitAsync(Worker(Guid.NewGuid()), "欠薪");
        // 16:30 UTC is 00:30 the next day in Langfang.
        var lateEvening = new DateTimeOffset(2026, 11, 20, 16, 30, 0, TimeSpan.Zero);
        var morning = new DateTimeOffset(2026, 11, 20, 1, 0, 0, TimeSpan.Zero);
        await PostOkAsync<CallView>(taker, "/hotline/calls", new { startedAt = morning, durationSeconds = 60, category = "unpaid-wages", outcome = "advice-given" }, HttpStatusCode.Created);
        var linked = await PostOkAsync<CallView>(taker, "/hotline/calls", new { startedAt = morning.AddHours(1), durationSeconds = 240, category = "unpaid-wages", outcome = "referred", caseId = receipt.Id }, HttpStatusCode.Created);
        await PostOkAsync<CallView>(taker, "/hotline/calls", new { startedAt = lateEvening, durationSeconds = 30, category = "psychological-support", outcome = "dropped" }, HttpStatusCode.Created);
        Assert.Equal(receipt.Id, linked.CaseId);
        Assert.Equal(new DateOnly(2026, 11, 20), linked.LocalDate);

        var stats = await GetOkAsync<CallStats>(Supervisor(), "/hotline/stats?from=2026-11-19&to=2026-11-22");

        Assert.Equal(3, stats.Calls);
        Assert.Equal(0, stats.CrisisCalls);
        Assert.Equal(
            [
                new CallStatsRow(new DateOnly(2026, 11, 20), CaseCategory.UnpaidWages, 2, 0, 0, 300),
                new CallStatsRow(new DateOnly(2026, 11, 21), CaseCategory.PsychologicalSupport, 1, 0, 0, 30),
            ],
            stats.Days);
        var listed = await GetOkAsync<Page<CallView>>(taker, "/hotline/calls?from=2026-11-21&to=2026-11-21");
        Assert.Equal(CaseCategory.PsychologicalSupport, Assert.Single(listed.Items).Category);
    }

    [Fact]
    public async Task Bad_call_records_are_400_naming_each_field()
    {
        var taker = Professional(Guid.NewGuid());

        using (var empty = await PostAsync(taker, "/hotline/calls", new { }))
        {
            var problem = await ProblemAssert.IsProblemAsync(empty, HttpStatusCode.BadRequest, "startedAt", "durationSeconds", "category", "outcome");
            Assert.Equal(["category", "durationSeconds", "outcome", "startedAt"], ProblemAssert.ErrorFields(problem));
        }
        using (var crisisWithoutCaller = await PostAsync(taker, "/hotline/calls", new { startedAt = Clock.GetUtcNow(), durationSeconds = 60, category = "psychological-support", crisis = true }))
        {
            await ProblemAssert.IsProblemAsync(crisisWithoutCaller, HttpStatusCode.BadRequest, "description", "callbackNumber");
        }
        using (var future = await PostAsync(taker, "/hotline/calls", new { startedAt = Clock.GetUtcNow().AddHours(1), durationSeconds = -1, category = "other", outcome = "dropped" }))
        {
            await ProblemAssert.IsProblemAsync(future, HttpStatusCode.BadRequest, "startedAt", "durationSeconds");
        }
        using (var content = await PostAsync(taker, "/hotline/calls", new { startedAt = Clock.GetUtcNow(), durationSeconds = 60, category = "other", outcome = "advice-given", description = "内容" }))
        {
            await ProblemAssert.IsProblemAsync(content, HttpStatusCode.BadRequest, "description");
        }
        using (var unknownCase = await PostAsync(taker, "/hotline/calls", new { startedAt = Clock.GetUtcNow(), durationSeconds = 60, category = "other", outcome = "referred", caseId = Guid.NewGuid() }))
        {
            await ProblemAssert.IsProblemAsync(unknownCase, HttpStatusCode.BadRequest, "caseId");
        }
        using (var range = await Supervisor().GetAsync(new Uri("/hotline/stats?from=2025-01-01&to=2026-06-01", UriKind.Relative)))
        {
            await ProblemAssert.IsProblemAsync(range, HttpStatusCode.BadRequest, "from");
        }
        Assert.Empty((await GetOkAsync<Page<CallView>>(taker, "/hotline/calls")).Items);
    }
}

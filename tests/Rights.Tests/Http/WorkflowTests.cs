using System.Net;
using System.Net.Http.Json;
using Platform.Rights.Apis;
using Platform.Rights.Domain;
using Platform.ServiceDefaults.Http;
using Platform.TestSupport;

namespace Platform.Rights.Tests.Http;

/// <summary>A case from submission to closure, assignment by specialty, deadlines and overdue cases.</summary>
public sealed class WorkflowTests(LocalInfrastructure infrastructure) : RightsApiTest(infrastructure)
{
    [Fact]
    public async Task A_case_goes_from_submission_to_closure_with_a_satisfaction_score()
    {
        var worker = Worker(Guid.NewGuid());
        var receipt = await SubmitAsync(worker, "平台扣我押金不退", category: "platform-penalty-or-algorithm", urgency: "high");
        Assert.Equal(CaseStatus.Submitted, receipt.Status);
        Assert.Equal(TimeSpan.FromHours(4), receipt.FirstResponseDueAt - receipt.SubmittedAt);

        var supervisor = Supervisor();
        var triaged = await PostOkAsync<CaseSummary>(supervisor, $"/cases/{receipt.Id}/triage", new { urgency = "normal" });
        Assert.Equal(CaseStatus.Triaged, triaged.Status);
        Assert.Equal(TimeSpan.FromHours(24), triaged.FirstResponseDueAt - triaged.SubmittedAt);

        var legal = await RegisterProfessionalAsync("legal");
        var assigned = await PostOkAsync<CaseSummary>(supervisor, $"/cases/{receipt.Id}/assignment", new { professionalId = legal });
        Assert.Equal(CaseStatus.Assigned, assigned.Status);
        Assert.Equal(legal, assigned.AssignedProfessionalId);

        Clock.Advance(TimeSpan.FromMinutes(30));
        // The professional's first note is the first response and starts the work.
        await PostOkAsync<NoteReceipt>(Professional(legal), $"/cases/{receipt.Id}/notes", new { text = "请提供押金收据" }, HttpStatusCode.Created);
        var started = await GetOkAsync<CaseDetail>(worker, $"/cases/{receipt.Id}");
        Assert.Equal(CaseStatus.InProgress, started.Status);
        Assert.NotNull(started.FirstRespondedAt);

        // The requester cannot close before it is resolved.
        using (var early = await PostAsync(worker, $"/cases/{receipt.Id}/closure", new { satisfaction = 5 }))
        {
            await ProblemAssert.IsProblemAsync(early, HttpStatusCode.Conflict);
        }
        await PostOkAsync<CaseSummary>(Professional(legal), $"/cases/{receipt.Id}/resolution", new { summary = "平台已退还押金" });
        var closed = await PostOkAsync<CaseSummary>(worker, $"/cases/{receipt.Id}/closure", new { satisfaction = 4 });
        Assert.Equal(CaseStatus.Closed, closed.Status);

        var file = await GetOkAsync<CaseDetail>(worker, $"/cases/{receipt.Id}");
        Assert.Equal(4, file.Satisfaction);
        Assert.NotNull(file.ClosedAt);
        using var afterClose = await PostAsync(worker, $"/cases/{receipt.Id}/notes", new { text = "谢谢" });
        await ProblemAssert.IsProblemAsync(afterClose, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Assignment_needs_a_registered_active_professional_whose_specialty_fits()
    {
        var receipt = await SubmitAsync(Worker(Guid.NewGuid()), "我撑不下去了", category: "psychological-support");
        var supervisor = Supervisor();
        var legal = await RegisterProfessionalAsync("legal");
        var inactive = await RegisterProfessionalAsync("counselling", active: false);
        var counsellor = await RegisterProfessionalAsync("counselling");

        using (var untriaged = await PostAsync(supervisor, $"/cases/{receipt.Id}/assignment", new { professionalId = counsellor }))
        {
            await ProblemAssert.IsProblemAsync(untriaged, HttpStatusCode.Conflict);
        }
        await PostOkAsync<CaseSummary>(supervisor, $"/cases/{receipt.Id}/triage", new { });
        foreach (var wrong in new[] { legal, inactive, Guid.NewGuid() })
        {
            using var refused = await PostAsync(supervisor, $"/cases/{receipt.Id}/assignment", new { professionalId = wrong });
            await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.BadRequest, "professionalId");
        }
        var assigned = await PostOkAsync<CaseSummary>(supervisor, $"/cases/{receipt.Id}/assignment", new { professionalId = counsellor });
        Assert.Equal(counsellor, assigned.AssignedProfessionalId);
        // Only supervisors assign.
        using var byWorker = await PostAsync(Worker(Guid.NewGuid()), $"/cases/{receipt.Id}/assignment", new { professionalId = counsellor });
        Assert.Equal(HttpStatusCode.Forbidden, byWorker.StatusCode);
    }

    [Fact]
    public async Task The_professionals_register_holds_the_specialty_and_can_deactivate()
    {
        var id = Guid.NewGuid();
        var supervisor = Supervisor();
        using (var created = await supervisor.PutAsJsonAsync(new Uri($"/professionals/{id}", UriKind.Relative), new { name = "赵咨询师", specialty = "counselling" }))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }
        using (var updated = await supervisor.PutAsJsonAsync(new Uri($"/professionals/{id}", UriKind.Relative), new { name = "赵咨询师", specialty = "counselling", active = false }))
        {
            Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        }
        var me = await GetOkAsync<ProfessionalView>(Professional(id), "/professionals/me");
        Assert.Equal(Specialty.Counselling, me.Specialty);
        Assert.False(me.Active);
        Assert.Equal("赵咨询师", me.Name);
        var inactive = await GetOkAsync<Page<ProfessionalView>>(supervisor, "/professionals?active=false&specialty=counselling");
        Assert.Equal(id, Assert.Single(inactive.Items).Id);
        Assert.Equal(HttpStatusCode.NotFound, await StatusOfGetAsync(Professional(Guid.NewGuid()), "/professionals/me"));
        using var byProfessional = await Professional(id).PutAsJsonAsync(new Uri($"/professionals/{id}", UriKind.Relative), new { name = "x", specialty = "legal" });
        Assert.Equal(HttpStatusCode.Forbidden, byProfessional.StatusCode);
    }

    [Fact]
    public async Task Cases_past_their_first_response_deadline_are_flagged_and_listed_for_supervisors()
    {
        var worker = Worker(Guid.NewGuid());
        var crisis = await SubmitAsync(worker, "危机", category: "psychological-support", urgency: "crisis");
        var high = await SubmitAsync(worker, "高", urgency: "high");
        var normal = await SubmitAsync(worker, "普通", urgency: "normal");
        var supervisor = Supervisor();
        Assert.Empty((await GetOkAsync<Page<CaseSummary>>(supervisor, "/cases?overdue=true")).Items);

        Clock.Advance(TimeSpan.FromHours(2));
        var afterTwoHours = await GetOkAsync<Page<CaseSummary>>(supervisor, "/cases?overdue=true");
        Assert.Equal([crisis.Id], afterTwoHours.Items.Select(c => c.Id));
        Assert.True(Assert.Single(afterTwoHours.Items).Overdue);

        Clock.Advance(TimeSpan.FromHours(3));
        var afterFive = await GetOkAsync<Page<CaseSummary>>(supervisor, "/cases?overdue=true");
        // Most overdue first.
        Assert.Equal([crisis.Id, high.Id], afterFive.Items.Select(c => c.Id));
        Assert.Equal([normal.Id], (await GetOkAsync<Page<CaseSummary>>(supervisor, "/cases?overdue=false")).Items.Select(c => c.Id));
        // The requester sees the flag too.
        Assert.True((await GetOkAsync<CaseDetail>(worker, $"/cases/{high.Id}")).Overdue);

        // A first response ends the overdue state even if late.
        var legal = await RegisterProfessionalAsync("legal");
        await StartWithAsync(high.Id, legal);
        Assert.Equal([crisis.Id], (await GetOkAsync<Page<CaseSummary>>(supervisor, "/cases?overdue=true")).Items.Select(c => c.Id));

        Clock.Advance(TimeSpan.FromHours(20));
        var stats = await GetOkAsync<RightsStats>(supervisor, "/stats");
        Assert.Equal(2, stats.Overdue);
        Assert.Equal(5 * 60, stats.MedianFirstResponseMinutes!.Value, 0);
    }

    [Fact]
    public async Task Workflow_steps_out_of_order_are_409_with_problem_details()
    {
        var worker = Worker(Guid.NewGuid());
        var receipt = await SubmitAsync(worker, "合同问题", category: "labour-contract");
        var supervisor = Supervisor();
        await PostOkAsync<CaseSummary>(supervisor, $"/cases/{receipt.Id}/triage", new { });

        using (var again = await PostAsync(supervisor, $"/cases/{receipt.Id}/triage", new { }))
        {
            await ProblemAssert.IsProblemAsync(again, HttpStatusCode.Conflict);
        }
        var legal = await RegisterProfessionalAsync("legal");
        await PostOkAsync<CaseSummary>(supervisor, $"/cases/{receipt.Id}/assignment", new { professionalId = legal });
        using (var resolveEarly = await PostAsync(Professional(legal), $"/cases/{receipt.Id}/resolution", new { summary = "done" }))
        {
            await ProblemAssert.IsProblemAsync(resolveEarly, HttpStatusCode.Conflict);
        }
        await PostOkAsync<CaseSummary>(supervisor, $"/cases/{receipt.Id}/escalation", new { partner = "labour-inspection", reason = "公司拒绝签合同" });
        using var escalateAgain = await PostAsync(supervisor, $"/cases/{receipt.Id}/escalation", new { partner = "labour-inspection", reason = "again" });
        await ProblemAssert.IsProblemAsync(escalateAgain, HttpStatusCode.Conflict);
        Assert.Equal(CaseStatus.Escalated, (await GetOkAsync<CaseDetail>(worker, $"/cases/{receipt.Id}")).Status);
    }

    [Fact]
    public async Task An_anonymous_requesters_case_is_closed_by_the_professional_with_the_score_given_on_the_phone()
    {
        var counsellor = await RegisterProfessionalAsync("counselling");
        var receipt = await PostOkAsync<CaseReceipt>(Professional(counsellor), "/cases",
            new { category = "psychological-support", channel = "hotline", description = "来电者压力大", callbackNumber = "0316-1234567" }, HttpStatusCode.Created);
        await StartWithAsync(receipt.Id, counsellor);
        var file = await GetOkAsync<CaseDetail>(Professional(counsellor), $"/cases/{receipt.Id}");
        Assert.True(file.Anonymous);
        Assert.Equal("0316-1234567".Replace("-", "", StringComparison.Ordinal), file.Content!.CallbackNumber);

        await PostOkAsync<CaseSummary>(Professional(counsellor), $"/cases/{receipt.Id}/resolution", new { summary = "三次通话后情绪稳定" });
        var closed = await PostOkAsync<CaseSummary>(Professional(counsellor), $"/cases/{receipt.Id}/closure", new { satisfaction = 5 });
        Assert.Equal(CaseStatus.Closed, closed.Status);
    }

    [Fact]
    public async Task A_professional_cannot_close_a_known_workers_case_for_them()
    {
        var worker = Worker(Guid.NewGuid());
        var receipt = await SubmitAsync(worker, "工伤");
        var legal = await RegisterProfessionalAsync("legal");
        await StartWithAsync(receipt.Id, legal);
        await PostOkAsync<CaseSummary>(Professional(legal), $"/cases/{receipt.Id}/resolution", new { summary = "已申报工伤" });

        using var byProfessional = await PostAsync(Professional(legal), $"/cases/{receipt.Id}/closure", new { satisfaction = 5 });

        await ProblemAssert.IsProblemAsync(byProfessional, HttpStatusCode.Conflict);
    }
}

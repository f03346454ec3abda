using System.Net;
using Platform.Rights.Apis;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.Security;
using Platform.TestSupport;

namespace Platform.Rights.Tests.Http;

/// <summary>
/// What a requester tells the rights team stays between them and their helper: checked from every role, over real
/// HTTP, with the content searched for in the database.
/// </summary>
public sealed class ConfidentialityTests(LocalInfrastructure infrastructure) : RightsApiTest(infrastructure)
{
    private const string Secret = "老板拖欠三个月工资-机密";
    private const string NoteSecret = "已联系站长-笔记机密";

    [Fact]
    public async Task The_requester_reads_their_own_case_with_its_content_and_another_worker_gets_404()
    {
        var workerA = Guid.NewGuid();
        var receipt = await SubmitAsync(Worker(workerA), Secret);

        using (var raw = await Worker(workerA).GetAsync(new Uri($"/cases/{receipt.Id}", UriKind.Relative)))
        {
            // Nothing on the way (app cache, proxy) keeps a copy.
            Assert.True(raw.Headers.CacheControl?.NoStore, "Cache-Control: no-store");
        }
        var own = await GetOkAsync<CaseDetail>(Worker(workerA), $"/cases/{receipt.Id}");
        Assert.Equal(Secret, own.Content!.Description);
        Assert.Equal(workerA, own.Content.RequesterWorkerId);

        var workerB = Worker(Guid.NewGuid());
        Assert.Equal(HttpStatusCode.NotFound, await StatusOfGetAsync(workerB, $"/cases/{receipt.Id}"));
        // The same answer as for a case that does not exist: nothing tells B the case is there.
        Assert.Equal(HttpStatusCode.NotFound, await StatusOfGetAsync(workerB, $"/cases/{Guid.NewGuid()}"));
        using var note = await PostAsync(workerB, $"/cases/{receipt.Id}/notes", new { text = "x" });
        Assert.Equal(HttpStatusCode.NotFound, note.StatusCode);
        var bList = await GetOkAsync<Page<CaseSummary>>(workerB, "/cases/mine");
        Assert.Empty(bList.Items);
    }

    [Fact]
    public async Task The_assigned_professional_reads_the_content_and_another_professional_gets_404()
    {
        var worker = Worker(Guid.NewGuid());
        var receipt = await SubmitAsync(worker, Secret);
        var assigned = await RegisterProfessionalAsync("legal");
        var other = await RegisterProfessionalAsync("legal");

        // Before assignment not even the future helper sees it.
        Assert.Equal(HttpStatusCode.NotFound, await StatusOfGetAsync(Professional(assigned), $"/cases/{receipt.Id}"));

        await StartWithAsync(receipt.Id, assigned);
        await PostOkAsync<NoteReceipt>(Professional(assigned), $"/cases/{receipt.Id}/notes", new { text = NoteSecret }, HttpStatusCode.Created);

        var file = await GetOkAsync<CaseDetail>(Professional(assigned), $"/cases/{receipt.Id}");
        Assert.Equal(Secret, file.Content!.Description);
        Assert.Equal(NoteSecret, Assert.Single(file.Content.Notes).Text);
        // The requester sees the helper's note too.
        var requesterView = await GetOkAsync<CaseDetail>(worker, $"/cases/{receipt.Id}");
        Assert.Equal(NoteSecret, Assert.Single(requesterView.Content!.Notes).Text);

        var otherClient = Professional(other);
        Assert.Equal(HttpStatusCode.NotFound, await StatusOfGetAsync(otherClient, $"/cases/{receipt.Id}"));
        using (var start = await PostAsync(otherClient, $"/cases/{receipt.Id}/resolution", new { summary = "s" }))
        {
            Assert.Equal(HttpStatusCode.NotFound, start.StatusCode);
        }
        Assert.Empty((await GetOkAsync<Page<CaseSummary>>(otherClient, "/cases/assigned")).Items);
        Assert.Single((await GetOkAsync<Page<CaseSummary>>(Professional(assigned), "/cases/assigned")).Items);

        // Reassigned: the first professional loses access.
        var next = await RegisterProfessionalAsync("legal");
        await PostOkAsync<CaseSummary>(Supervisor(), $"/cases/{receipt.Id}/assignment", new { professionalId = next });
        Assert.Equal(HttpStatusCode.NotFound, await StatusOfGetAsync(Professional(assigned), $"/cases/{receipt.Id}"));
        Assert.Equal(Secret, (await GetOkAsync<CaseDetail>(Professional(next), $"/cases/{receipt.Id}")).Content!.Description);
    }

    [Fact]
    public async Task A_supervisor_sees_progress_without_content_and_reads_content_only_with_a_reason_which_is_audited()
    {
        var receipt = await SubmitAsync(Worker(Guid.NewGuid()), Secret);
        var supervisorId = Guid.NewGuid();
        var supervisor = Supervisor(supervisorId);

        var progress = await GetOkAsync<CaseDetail>(supervisor, $"/cases/{receipt.Id}");
        Assert.Null(progress.Content);
        Assert.Equal(receipt.Id, progress.Id);

        using (var noReason = await PostAsync(supervisor, $"/cases/{receipt.Id}/content-reads", new { }))
        {
            await ProblemAssert.IsProblemAsync(noReason, HttpStatusCode.BadRequest, "reason");
        }
        using (var token = await PostAsync(supervisor, $"/cases/{receipt.Id}/content-reads", new { reason = "ok" }))
        {
            await ProblemAssert.IsProblemAsync(token, HttpStatusCode.BadRequest, "reason");
        }
        Assert.Empty((await GetOkAsync<Page<ContentReadEntry>>(supervisor, $"/audit/content-reads?caseId={receipt.Id}")).Items);

        const string reason = "Triage: the request needs a category check";
        var read = await PostOkAsync<CaseDetail>(supervisor, $"/cases/{receipt.Id}/content-reads", new { reason });
        Assert.Equal(Secret, read.Content!.Description);

        // Any supervisor can list who read what and why.
        var audit = await GetOkAsync<Page<ContentReadEntry>>(Supervisor(), $"/audit/content-reads?caseId={receipt.Id}");
        var entry = Assert.Single(audit.Items);
        Assert.Equal(supervisorId, entry.SupervisorId);
        Assert.Equal(reason, entry.Reason);
        Assert.Equal(receipt.Id, entry.CaseId);
        Assert.Single((await GetOkAsync<Page<ContentReadEntry>>(supervisor, $"/audit/content-reads?supervisorId={supervisorId}")).Items);
        // The audit log is for supervisors only.
        Assert.Equal(HttpStatusCode.Forbidden, await StatusOfGetAsync(Professional(Guid.NewGuid()), "/audit/content-reads"));
    }

    [Theory]
    [InlineData(PlatformRoles.Operator)]
    [InlineData(PlatformRoles.CommunityStaff)]
    [InlineData(PlatformRoles.StationKeeper)]
    [InlineData(PlatformRoles.OrgOfficer)]
    [InlineData(PlatformRoles.PartnerAgency)]
    [InlineData(PlatformRoles.Professional)]
    [InlineData(PlatformRoles.Worker)]
    public async Task Every_other_role_gets_404_for_the_case_and_for_its_content(string role)
    {
        var receipt = await SubmitAsync(Worker(Guid.NewGuid()), Secret);
        var client = ClientFor(TestTokens.For(role));

        Assert.Equal(HttpStatusCode.NotFound, await StatusOfGetAsync(client, $"/cases/{receipt.Id}"));
        using var read = await PostAsync(client, $"/cases/{receipt.Id}/content-reads", new { reason = "I would like to read it please" });
        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
        using var closure = await PostAsync(client, $"/cases/{receipt.Id}/closure", new { satisfaction = 5 });
        Assert.Equal(HttpStatusCode.NotFound, closure.StatusCode);
        using var escalation = await PostAsync(client, $"/cases/{receipt.Id}/escalation", new { partner = "labour-inspection", reason = "r" });
        Assert.Equal(HttpStatusCode.NotFound, escalation.StatusCode);
    }

    [Fact]
    public async Task Without_a_token_the_case_is_401()
    {
        var receipt = await SubmitAsync(Worker(Guid.NewGuid()), Secret);

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusOfGetAsync(Anonymous(), $"/cases/{receipt.Id}"));
    }

    [Fact]
    public async Task Lists_and_creation_answers_never_include_content_or_the_callback_number()
    {
        var worker = Guid.NewGuid();
        var workerClient = Worker(worker);
        using var created = await PostAsync(workerClient, "/cases", new { category = "unpaid-wages", description = Secret, callbackNumber = "13912345678" }, idempotencyKey: "k-1");
        var createdBody = await created.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = System.Text.Json.JsonDocument.Parse(createdBody).RootElement.GetProperty("id").GetGuid();
        var professional = await RegisterProfessionalAsync("legal");
        await StartWithAsync(id, professional);
        await PostOkAsync<NoteReceipt>(workerClient, $"/cases/{id}/notes", new { text = NoteSecret }, HttpStatusCode.Created);

        var answers = new[]
        {
            createdBody,
            await GetTextAsync(workerClient, "/cases/mine"),
            await GetTextAsync(Professional(professional), "/cases/assigned"),
            await GetTextAsync(Supervisor(), "/cases"),
            await GetTextAsync(Supervisor(), "/cases?overdue=false"),
            await GetTextAsync(Supervisor(), "/stats"),
        };
        foreach (var answer in answers)
        {
            Assert.DoesNotContain(Secret, answer, StringComparison.Ordinal);
            Assert.DoesNotContain(NoteSecret, answer, StringComparison.Ordinal);
            Assert.DoesNotContain("13912345678", answer, StringComparison.Ordinal);
            Assert.DoesNotContain("description", answer, StringComparison.Ordinal);
        }
        Assert.Contains(id.ToString(), answers[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_database_holds_no_case_content_in_clear()
    {
        const string callback = "13800001111";
        const string resolution = "协商后补发工资-解决机密";
        const string escalationReason = "拒不支付-升级机密";
        var worker = Worker(Guid.NewGuid());
        var legal = await RegisterProfessionalAsync("legal", name: "张律师机密");

        // A resolved case, with notes from both sides, created with an Idempotency-Key (its stored answer is searched too).
        using (var first = await PostAsync(worker, "/cases", new { category = "unpaid-wages", description = Secret, callbackNumber = callback }, idempotencyKey: "same"))
        {
            Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        }
        var mine = await GetOkAsync<Page<CaseSummary>>(worker, "/cases/mine");
        var caseId = Assert.Single(mine.Items).Id;
        await StartWithAsync(caseId, legal);
        await PostOkAsync<NoteReceipt>(worker, $"/cases/{caseId}/notes", new { text = NoteSecret }, HttpStatusCode.Created);
        await PostOkAsync<NoteReceipt>(Professional(legal), $"/cases/{caseId}/notes", new { text = NoteSecret + "2" }, HttpStatusCode.Created);
        await PostOkAsync<CaseSummary>(Professional(legal), $"/cases/{caseId}/resolution", new { summary = resolution });
        // An escalated one, an anonymous one and a crisis call.
        var other = await SubmitAsync(worker, Secret + "3");
        await PostOkAsync<CaseSummary>(Supervisor(), $"/cases/{other.Id}/escalation", new { partner = "trade-union-legal-aid", reason = escalationReason });
        await PostOkAsync<CaseReceipt>(Anonymous(), "/cases/anonymous", new { category = "other", description = Secret + "4", callbackNumber = "13800002222" }, HttpStatusCode.Created);
        await PostOkAsync<CallView>(Professional(legal), "/hotline/calls", new
        {
            startedAt = Clock.GetUtcNow().AddMinutes(-10), durationSeconds = 300, category = "psychological-support",
            crisis = true, description = Secret + "5", callbackNumber = "13800003333",
        }, HttpStatusCode.Created);
        await WaitForEmptyOutboxAsync();

        var dump = await DatabaseDumpAsync();

        Assert.Contains(caseId.ToString(), dump, StringComparison.Ordinal);
        foreach (var plain in new[] { Secret, NoteSecret, resolution, escalationReason, callback, "13800002222", "13800003333", "张律师机密" })
        {
            Assert.DoesNotContain(plain, dump, StringComparison.Ordinal);
        }
        // And it is really there, encrypted: the service's key opens it.
        var protector = new PersonalDataProtector(Convert.FromBase64String(Service.PersonalDataKey));
        var stored = await Service.ScalarAsync<string>("SELECT \"Description\" FROM cases WHERE \"Id\" = @id", ("id", caseId));
        Assert.StartsWith("v1:", stored, StringComparison.Ordinal);
        Assert.Equal(Secret, protector.Unprotect(stored));
    }
}

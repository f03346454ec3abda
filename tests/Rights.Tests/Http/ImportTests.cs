using System.Net;
using Platform.Contracts;
using Platform.Rights.Apis;
using Platform.Rights.Domain;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.Security;
using Platform.TestSupport;

namespace Platform.Rights.Tests.Http;

public sealed class ImportTests(LocalInfrastructure infrastructure) : RightsApiTest(infrastructure)
{
    private const string Secret = "台账里的求助内容-仅当事人可见";

    private HttpClient Operator() => ClientFor(TestTokens.For(PlatformRoles.Operator, Guid.NewGuid()));

    private static string LedgerId() => $"ledger-{Guid.NewGuid():N}";

    private static DateTimeOffset DaysAgo(int days) => new DateTimeOffset(DateTimeOffset.UtcNow.AddDays(-days).Date, TimeSpan.Zero).AddHours(2);

    private static object Resolved(string externalId, Guid workerId, Guid professionalId, DateTimeOffset submittedAt) => new
    {
        externalId,
        category = "unpaid-wages",
        channel = "hotline",
        urgency = "normal",
        description = Secret,
        workerId,
        district = "广阳区",
        submittedAt,
        triagedAt = submittedAt.AddHours(1),
        professionalId,
        assignedAt = submittedAt.AddHours(2),
        startedAt = submittedAt.AddHours(5),
        resolvedAt = submittedAt.AddDays(3),
        resolution = "已协调站点补发工资",
    };

    private static object Waiting(string externalId, DateTimeOffset submittedAt) => new
    {
        externalId, category = "labour-contract", channel = "app", description = "想问劳动合同", callbackNumber = "13912345678", district = "安次区", submittedAt,
    };

    [Fact]
    public async Task Imported_cases_keep_their_times_and_content_protection_and_count_in_stats_and_partner_events_by_their_dates()
    {
        await using var opened = await ExchangeListener.ForAsync<RightsCaseOpened>(Infrastructure);
        await using var resolved = await ExchangeListener.ForAsync<RightsCaseResolved>(Infrastructure);
        var workerId = Guid.NewGuid();
        var legal = await RegisterProfessionalAsync("legal");
        var longAgo = DaysAgo(100);
        var lately = DaysAgo(5);

        var result = await PostOkAsync<ImportResult>(Operator(), "/cases/imports",
            new { cases = new[] { Resolved(LedgerId(), workerId, legal, longAgo), Waiting(LedgerId(), lately) } });

        Assert.Equal((2, 0), (result.Imported, result.AlreadyImported));
        var (resolvedId, waitingId) = (result.Records[0].Id, result.Records[1].Id);
        // The requester sees the whole file, with the ledger's times.
        var detail = await GetOkAsync<CaseDetail>(Worker(workerId), $"/cases/{resolvedId}");
        Assert.Equal((RecordSource.Imported, CaseStatus.Resolved, longAgo, longAgo.AddHours(1), longAgo.AddHours(2), longAgo.AddHours(5), longAgo.AddDays(3)),
            (detail.Source, detail.Status, detail.SubmittedAt, detail.TriagedAt, detail.AssignedAt, detail.FirstRespondedAt, detail.ResolvedAt));
        Assert.Equal((Secret, "已协调站点补发工资", (Guid?)legal), (detail.Content!.Description, detail.Content.Resolution, detail.AssignedProfessionalId));
        // The assigned professional has it among their cases; the supervisor sees it without content.
        Assert.Contains((await GetOkAsync<Page<CaseSummary>>(Professional(legal), "/cases/assigned")).Items, c => c.Id == resolvedId);
        Assert.Null((await GetOkAsync<CaseDetail>(Supervisor(), $"/cases/{resolvedId}")).Content);
        // Encrypted at rest like a live case.
        var dump = await DatabaseDumpAsync();
        Assert.DoesNotContain(Secret, dump, StringComparison.Ordinal);
        Assert.DoesNotContain("13912345678", dump, StringComparison.Ordinal);
        // The waiting one has had no first response for five days: overdue, as it really is.
        var waiting = await GetOkAsync<Page<CaseSummary>>(Supervisor(), "/cases?overdue=true");
        Assert.Equal(waitingId, Assert.Single(waiting.Items).Id);

        var oldMonth = await GetOkAsync<RightsStats>(Operator(), $"/stats?from={Q(longAgo.AddDays(-15))}&to={Q(longAgo.AddDays(15))}");
        Assert.Equal((1, 72.0, 300.0), (oldMonth.Cases, oldMonth.MedianResolutionHours, oldMonth.MedianFirstResponseMinutes));
        var lastMonth = await GetOkAsync<RightsStats>(Operator(), $"/stats?from={Q(DateTimeOffset.UtcNow.AddDays(-30))}&to={Q(DateTimeOffset.UtcNow)}");
        Assert.Equal((1, 1), (lastMonth.Cases, lastMonth.Overdue));

        // Partners count cases by month from these events: they carry the ledger's times, not the import's.
        var openedMessage = (await opened.NextAsync(e => Id(e) == resolvedId)).GetProperty("message");
        Assert.Equal(longAgo, openedMessage.GetProperty("openedAt").GetDateTimeOffset());
        var resolvedMessage = (await resolved.NextAsync(e => Id(e) == resolvedId)).GetProperty("message");
        Assert.Equal(longAgo.AddDays(3), resolvedMessage.GetProperty("resolvedAt").GetDateTimeOffset());
        Assert.DoesNotContain(Secret, openedMessage.GetRawText() + resolvedMessage.GetRawText(), StringComparison.Ordinal);
        await WaitForEmptyOutboxAsync();
    }

    [Fact]
    public async Task Importing_the_same_cases_again_creates_and_publishes_nothing()
    {
        var batch = new { cases = new[] { Waiting(LedgerId(), DaysAgo(3)), Waiting(LedgerId(), DaysAgo(2)) } };
        var first = await PostOkAsync<ImportResult>(Operator(), "/cases/imports", batch);
        await WaitForEmptyOutboxAsync();

        var again = await PostOkAsync<ImportResult>(Operator(), "/cases/imports", batch);

        Assert.Equal((0, 2), (again.Imported, again.AlreadyImported));
        Assert.Equal(first.Records.Select(r => r.Id), again.Records.Select(r => r.Id));
        Assert.Equal(0L, await Service.ScalarAsync<long>("SELECT count(*) FROM outbox_messages"));
        Assert.Equal(2, (await GetOkAsync<RightsStats>(Operator(), "/stats")).Cases);
    }

    [Fact]
    public async Task Bad_case_history_is_refused_naming_the_row_and_field()
    {
        var legal = await RegisterProfessionalAsync("legal");
        var counsellor = await RegisterProfessionalAsync("counselling", name: "周老师");
        var at = DaysAgo(20);
        using var response = await PostAsync(Operator(), "/cases/imports", new
        {
            cases = new object[]
            {
                // Resolved before it was started.
                new { externalId = LedgerId(), category = "unpaid-wages", channel = "app", description = "x", workerId = Guid.NewGuid(), submittedAt = at,
                      triagedAt = at.AddHours(1), professionalId = legal, assignedAt = at.AddHours(2), startedAt = at.AddDays(2), resolvedAt = at.AddDays(1), resolution = "r" },
                // Submitted in the future.
                new { externalId = LedgerId(), category = "unpaid-wages", channel = "app", description = "x", workerId = Guid.NewGuid(), submittedAt = DateTimeOffset.UtcNow.AddDays(1) },
                // Too old.
                new { externalId = LedgerId(), category = "unpaid-wages", channel = "app", description = "x", workerId = Guid.NewGuid(), submittedAt = DateTimeOffset.UtcNow.AddDays(-800) },
                // Assigned to someone not in the register.
                new { externalId = LedgerId(), category = "unpaid-wages", channel = "app", description = "x", workerId = Guid.NewGuid(), submittedAt = at,
                      triagedAt = at.AddHours(1), professionalId = Guid.NewGuid(), assignedAt = at.AddHours(2) },
                // A legal case given to a counsellor.
                new { externalId = LedgerId(), category = "unpaid-wages", channel = "app", description = "x", workerId = Guid.NewGuid(), submittedAt = at,
                      triagedAt = at.AddHours(1), professionalId = counsellor, assignedAt = at.AddHours(2) },
                // Assigned without triage (not a crisis).
                new { externalId = LedgerId(), category = "unpaid-wages", channel = "app", description = "x", workerId = Guid.NewGuid(), submittedAt = at,
                      professionalId = legal, assignedAt = at.AddHours(2) },
                // No requester at all.
                new { externalId = LedgerId(), category = "unpaid-wages", channel = "app", description = "x", submittedAt = at },
                // Closed without a score.
                new { externalId = LedgerId(), category = "unpaid-wages", channel = "app", description = "x", workerId = Guid.NewGuid(), submittedAt = at, triagedAt = at,
                      professionalId = legal, assignedAt = at, startedAt = at, resolvedAt = at, resolution = "r", closedAt = at.AddDays(1) },
            },
        });

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest,
            "cases[0].resolvedAt", "cases[1].submittedAt", "cases[2].submittedAt", "cases[3].professionalId", "cases[4].professionalId",
            "cases[5].assignedAt", "cases[6].callbackNumber", "cases[7].satisfaction");
        Assert.Equal(0, (await GetOkAsync<RightsStats>(Operator(), "/stats")).Cases);

        using var empty = await PostAsync(Operator(), "/cases/imports", new { cases = Array.Empty<object>() });
        await ProblemAssert.IsProblemAsync(empty, HttpStatusCode.BadRequest, "cases");
        var tooMany = Enumerable.Range(0, CaseImport.MaxBatch + 1).Select(i => Waiting($"big-{i}", at)).ToArray();
        using var oversized = await PostAsync(Operator(), "/cases/imports", new { cases = tooMany });
        await ProblemAssert.IsProblemAsync(oversized, HttpStatusCode.BadRequest, "cases");
        using var unknownCategory = await PostAsync(Operator(), "/cases/imports",
            $$"""{"cases":[{"externalId":"a","category":"tax-advice","channel":"app","description":"x","callbackNumber":"13912345678","submittedAt":"{{at:O}}"}]}""");
        await ProblemAssert.IsProblemAsync(unknownCategory, HttpStatusCode.BadRequest, "cases[0].category");
    }

    [Fact]
    public async Task Only_operators_import()
    {
        var cases = new { cases = new[] { Waiting(LedgerId(), DaysAgo(3)) } };
        var activities = new { activities = new[] { Activity(LedgerId(), DaysAgo(3)) } };
        foreach (var caller in new[] { Supervisor(), Worker(Guid.NewGuid()), Professional(Guid.NewGuid()) })
        {
            using var caseImport = await PostAsync(caller, "/cases/imports", cases);
            Assert.Equal(HttpStatusCode.Forbidden, caseImport.StatusCode);
            using var activityImport = await PostAsync(caller, "/activities/imports", activities);
            Assert.Equal(HttpStatusCode.Forbidden, activityImport.StatusCode);
        }
        Assert.Equal((0, 0), ((await GetOkAsync<RightsStats>(Operator(), "/stats")).Cases, (await GetOkAsync<RightsStats>(Operator(), "/stats")).ActivitiesHeld));
    }

    private static object Activity(string externalId, DateTimeOffset heldAt, int participants = 80) => new
    {
        externalId, title = "骑手健康义诊", kind = "health-clinic", partners = new[] { "hospital", "red-cross" }, heldAt, location = "广阳区党群服务中心",
        district = "广阳区", participants,
    };

    [Fact]
    public async Task Past_activities_are_imported_as_held_once_and_count_in_their_period()
    {
        var heldAt = DaysAgo(60);
        var batch = new { activities = new[] { Activity(LedgerId(), heldAt), Activity(LedgerId(), DaysAgo(30), 45) } };

        var first = await PostOkAsync<ImportResult>(Operator(), "/activities/imports", batch);
        var again = await PostOkAsync<ImportResult>(Operator(), "/activities/imports", batch);

        Assert.Equal((2, 0, 0, 2), (first.Imported, first.AlreadyImported, again.Imported, again.AlreadyImported));
        var activity = await GetOkAsync<ActivityView>(Worker(Guid.NewGuid()), $"/activities/{first.Records[0].Id}");
        Assert.Equal((ActivityStatus.Held, heldAt, heldAt, 80, RecordSource.Imported), (activity.Status, activity.ScheduledAt, activity.HeldAt, activity.Participants, activity.Source));
        var period = await GetOkAsync<RightsStats>(Operator(), $"/stats?from={Q(heldAt.AddDays(-5))}&to={Q(heldAt.AddDays(5))}");
        Assert.Equal((1, 80, 0), (period.ActivitiesHeld, period.ActivityParticipants, period.ActivitiesScheduled));
        Assert.Equal(2, (await GetOkAsync<RightsStats>(Operator(), "/stats")).ActivitiesHeld);

        using var bad = await PostAsync(Operator(), "/activities/imports", new
        {
            activities = new object[]
            {
                Activity(LedgerId(), DateTimeOffset.UtcNow.AddDays(2)),
                Activity(LedgerId(), heldAt, participants: -1),
                new { externalId = LedgerId(), kind = "social", partners = Array.Empty<string>(), heldAt, location = "x" },
            },
        });
        await ProblemAssert.IsProblemAsync(bad, HttpStatusCode.BadRequest,
            "activities[0].heldAt", "activities[1].participants", "activities[2].title", "activities[2].partners", "activities[2].participants");
    }

    private static Guid Id(System.Text.Json.JsonElement envelope) => envelope.GetProperty("message").GetProperty("caseId").GetGuid();

    private static string Q(DateTimeOffset time) => Uri.EscapeDataString(time.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
}

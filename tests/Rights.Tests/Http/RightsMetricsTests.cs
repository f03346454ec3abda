using System.Net;
using Platform.Rights.Apis;
using Platform.TestSupport;

namespace Platform.Rights.Tests.Http;

/// <summary>The dashboard's rights figures: open and overdue cases as the database has them, hotline calls as logged.</summary>
public sealed class RightsMetricsTests(LocalInfrastructure infrastructure) : RightsApiTest(infrastructure)
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        // Read the counts often, so the test sees each change at once.
        ["Platform:Rights:CaseGaugeInterval"] = "00:00:00.200",
    };

    [Fact]
    public async Task Open_and_overdue_gauges_follow_the_cases_deadlines_and_resolutions()
    {
        using var open = Service.Services.Collect<long>(RightsTelemetry.MeterName, "platform.rights.cases.open");
        using var overdue = Service.Services.Collect<long>(RightsTelemetry.MeterName, "platform.rights.cases.overdue");
        using var opened = Service.Services.Collect<long>(RightsTelemetry.MeterName, "platform.rights.cases.opened");
        await open.GaugeReachesAsync(0, "no open case at first");

        var first = await SubmitAsync(Worker(Guid.NewGuid()), "工资被拖欠三个月");
        var second = await SubmitAsync(Worker(Guid.NewGuid()), "平台扣押押金", category: "platform-penalty-or-algorithm");
        await open.GaugeReachesAsync(2, "two open cases");
        await overdue.GaugeReachesAsync(0, "none overdue within the 24 h of a normal case");
        Assert.Equal(2, (await opened.WaitForAsync(2)).Sum(m => m.Value));

        Clock.Advance(TimeSpan.FromHours(25));
        await overdue.GaugeReachesAsync(2, "both overdue after 25 h without a response");

        var legal = await RegisterProfessionalAsync("legal");
        await StartWithAsync(first.Id, legal);
        await overdue.GaugeReachesAsync(1, "a case with its first response is no longer overdue");
        await PostOkAsync<CaseSummary>(Professional(legal), $"/cases/{first.Id}/resolution", new { summary = "工资已追回" });
        await open.GaugeReachesAsync(1, "a resolved case is no longer open");
        Assert.NotEqual(first.Id, second.Id);
    }

    [Fact]
    public async Task A_logged_hotline_call_counts_by_category_and_crisis_and_a_refused_one_does_not()
    {
        using var calls = Service.Services.Collect<long>(RightsTelemetry.MeterName, "platform.rights.hotline.calls");
        var taker = Professional(await RegisterProfessionalAsync("counselling", name: "李咨询师"));

        using (var refused = await PostAsync(taker, "/hotline/calls", new { durationSeconds = -5, category = "unpaid-wages", outcome = "advice-given" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }
        await PostOkAsync<CallView>(taker, "/hotline/calls",
            new { startedAt = Clock.GetUtcNow().AddMinutes(-5), durationSeconds = 240, category = "unpaid-wages", outcome = "advice-given" }, HttpStatusCode.Created);

        var call = Assert.Single(await calls.WaitForAsync());
        Assert.Equal((1L, "unpaid-wages", false), (call.Value, call.Tags["category"], call.Tags["crisis"]));
        Assert.Equal(["category", "crisis"], call.Tags.Keys.Order(StringComparer.Ordinal));
    }
}

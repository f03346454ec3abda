using System.Net.Http.Json;
using System.Text.Json;
using Platform.Contracts;
using Platform.Partners.Domain;
using Platform.TestSupport;

namespace Platform.Partners.Tests.Http;

/// <summary>The trade union's monthly counts: rights cases reach partners only as numbers per district and category.</summary>
public sealed class RightsCaseCountTests(LocalInfrastructure infrastructure) : PartnersApiTest(infrastructure)
{
    [Fact]
    public async Task A_closed_month_s_counts_arrive_once_filtered_and_without_any_case()
    {
        var receiver = await StartReceiverAsync();
        using var union = await RegisterAgencyAsync();
        await SubscribeAsync(union, receiver, [PublicEventCatalogue.RightsCaseCountsType],
            districts: [District], categories: ["unpaid-wages", "psychological-support"]);

        var month = RightsCaseCount.LastClosedMonth(DateTimeOffset.UtcNow);
        var inMonth = DateTimeOffset.ParseExact(month + "-15T12:00:00+08:00", "yyyy-MM-ddTHH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture);
        var cases = new[]
        {
            Opened("unpaid-wages"), Opened("unpaid-wages"), Opened("psychological-support"), Opened("traffic-accident"),
        };
        foreach (var opened in cases)
        {
            await PublishAsync(opened);
        }
        await PublishAsync(new RightsCaseResolved(cases[0].CaseId, "unpaid-wages", "hotline", District, false,
            TimeSpan.FromHours(1), TimeSpan.FromDays(3), inMonth.AddDays(3)));
        await Until(() => Service.ScalarAsync<long>(
                "SELECT COALESCE(SUM(\"Opened\" + \"Resolved\"), 0) FROM rights_case_counts WHERE \"District\" = @d", ("d", District)),
            n => n == 5, "the cases counted");

        var queued = await Operator.PostAsync($"/reports/rights-case-counts/{month}", null);
        Assert.Equal(1, (await queued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("subscriptions").GetInt32());
        await Until(() => Task.FromResult(receiver.AcceptedCount), n => n == 1, "the monthly counts delivered");

        var body = receiver.Received[0].Body;
        foreach (var opened in cases)
        {
            Assert.DoesNotContain(opened.CaseId.ToString(), body, StringComparison.Ordinal);
        }
        using var document = JsonDocument.Parse(body);
        var data = document.RootElement.GetProperty("data");
        Assert.Equal(month, data.GetProperty("month").GetString());
        var rows = data.GetProperty("counts").EnumerateArray()
            .ToDictionary(r => r.GetProperty("category").GetString()!, r => (Opened: r.GetProperty("opened").GetInt32(), Resolved: r.GetProperty("resolved").GetInt32()));
        Assert.Equal(2, rows.Count);
        Assert.Equal((2, 1), rows["unpaid-wages"]);
        Assert.Equal((1, 0), rows["psychological-support"]);

        // Asking again queues nothing: each subscription gets a month once.
        var again = await Operator.PostAsync($"/reports/rights-case-counts/{month}", null);
        Assert.Equal(0, (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("subscriptions").GetInt32());

        RightsCaseOpened Opened(string category) => new(Guid.NewGuid(), category, "app", District, "normal", inMonth);
    }

    [Fact]
    public async Task A_month_that_has_not_ended_cannot_be_sent()
    {
        var month = RightsCaseCount.MonthOf(DateTimeOffset.UtcNow);
        var response = await Operator.PostAsync($"/reports/rights-case-counts/{month}", null);
        await ProblemAssert.IsProblemAsync(response, System.Net.HttpStatusCode.BadRequest, "month");
    }
}

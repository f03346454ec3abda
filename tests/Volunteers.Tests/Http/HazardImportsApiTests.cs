using System.Net;
using Platform.Contracts;
using Platform.ServiceDefaults.Http;
using Platform.TestSupport;
using Platform.Volunteers.Apis;
using Platform.Volunteers.Domain;

namespace Platform.Volunteers.Tests.Http;

public sealed class HazardImportsApiTests(LocalInfrastructure infrastructure) : VolunteersApiTest(infrastructure)
{
    private const string Path = "/hazard-reports/imports";

    private static object Closed(string externalId, DateTimeOffset reportedAt, double latitude = Lat, string category = "broken-manhole-cover") => new
    {
        externalId,
        category,
        latitude,
        longitude = Lon,
        description = "井盖缺失",
        reportedAt,
        history = new object[]
        {
            new { status = "acknowledged", at = reportedAt.AddHours(2) },
            new { status = "in-progress", at = reportedAt.AddDays(1) },
            new { status = "closed", at = reportedAt.AddDays(3), notes = "已更换井盖" },
        },
    };

    private static object Open(string externalId, DateTimeOffset reportedAt, double latitude = Lat) => new
    {
        externalId, category = "broken-manhole-cover", latitude, longitude = Lon, reportedAt, history = Array.Empty<object>(),
    };

    private static string LedgerId() => $"12345-{Guid.NewGuid():N}";

    [Fact]
    public async Task Imported_reports_keep_their_times_are_routed_like_live_ones_and_count_in_stats_by_their_dates()
    {
        var district = UniqueDistrict();
        var community = await CommunityAsync(district);
        var now = DateTimeOffset.UtcNow;
        var longAgo = new DateTimeOffset(now.AddDays(-120).Date, TimeSpan.Zero).AddHours(1);
        var lately = new DateTimeOffset(now.AddDays(-10).Date, TimeSpan.Zero).AddHours(3);
        var (closedId, openId) = (LedgerId(), LedgerId());

        using var response = await PostAsync(Operator(), Path, new { reports = new[] { Closed(closedId, longAgo), Open(openId, lately, Lat + 0.0001) } });

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var result = await ReadAsync<HazardImportResult>(response);
        Assert.Equal((2, 0), (result.Imported, result.AlreadyImported));
        Assert.All(result.Reports, r => Assert.True(r.Created));
        var closed = await GetOkAsync<HazardReportDetail>(Operator(), $"/hazard-reports/{result.Reports[0].Id}");
        Assert.Equal((HazardSource.Imported, HazardStatus.Closed, longAgo, longAgo.AddDays(3), "已更换井盖"),
            (closed.Report.Source, closed.Report.Status, closed.Report.ReportedAt, closed.Report.ClosedAt, closed.Report.StatusNotes));
        // Routed as live intake routes: the nearest community's district, the category's department.
        Assert.Equal((district, (Guid?)community, "housing"), (closed.Report.District, closed.Report.CommunityId, closed.Report.Department));
        Assert.Equal([longAgo.AddHours(2), longAgo.AddDays(1), longAgo.AddDays(3)], closed.History.Select(h => h.ChangedAt));
        Assert.Equal([HazardStatus.Acknowledged, HazardStatus.InProgress, HazardStatus.Closed], closed.History.Select(h => h.To));
        Assert.All(closed.History, h => Assert.Equal("import", h.By));
        // Two reports of one category 11 m apart: the ledger had two, so the platform has two (no "me too" on import).
        var open = await GetOkAsync<HazardReportDetail>(Operator(), $"/hazard-reports/{result.Reports[1].Id}");
        Assert.Equal((HazardStatus.Open, lately, 0), (open.Report.Status, open.Report.ReportedAt, open.Report.MeTooCount));

        var imported = await GetOkAsync<Page<HazardReportView>>(Operator(), $"/hazard-reports?district={Uri.EscapeDataString(district)}&source=imported");
        Assert.Equal(2, imported.Total);
        // Stats for the month of the old report see it, with its three days to close; the last month sees only the open one.
        var oldMonth = await GetOkAsync<VolunteerStats>(Operator(), $"/stats?from={Q(longAgo.AddDays(-15))}&to={Q(longAgo.AddDays(15))}");
        Assert.Equal((1L, 72.0), (oldMonth.HazardReports, oldMonth.MedianHoursToClose));
        Assert.Equal(1, oldMonth.HazardsByStatus["closed"]);
        var lastMonth = await GetOkAsync<VolunteerStats>(Operator(), $"/stats?from={Q(now.AddDays(-30))}&to={Q(now)}");
        Assert.Equal(1L, lastMonth.HazardReports);
        Assert.Equal(1, lastMonth.HazardsByStatus["open"]);
    }

    [Fact]
    public async Task Importing_the_same_ledger_reports_again_creates_nothing()
    {
        await CommunityAsync(UniqueDistrict());
        var reportedAt = DateTimeOffset.UtcNow.AddDays(-40);
        var batch = new { reports = new[] { Closed(LedgerId(), reportedAt), Open(LedgerId(), reportedAt.AddDays(1), Lat + 0.001) } };
        using var first = await PostAsync(Operator(), Path, batch);
        var firstResult = await ReadAsync<HazardImportResult>(first);

        // Without an Idempotency-Key, and in a batch with a new report: the ledger ids are what make it idempotent.
        var overlapping = new { reports = new[] { Closed(firstResult.Reports[0].ExternalId, reportedAt), Open(LedgerId(), reportedAt.AddDays(2), Lat + 0.002) } };
        using var again = await PostAsync(Operator(), Path, overlapping);

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var againResult = await ReadAsync<HazardImportResult>(again);
        Assert.Equal((1, 1), (againResult.Imported, againResult.AlreadyImported));
        Assert.Equal((firstResult.Reports[0].Id, false), (againResult.Reports[0].Id, againResult.Reports[0].Created));
        Assert.Equal(3, (await GetOkAsync<Page<HazardReportView>>(Operator(), "/hazard-reports?source=imported")).Total);
    }

    [Fact]
    public async Task Imported_history_publishes_no_events_while_a_live_report_does()
    {
        await using var reported = await ExchangeListener.ForAsync<HazardReported>(Infrastructure);
        await using var changed = await ExchangeListener.ForAsync<HazardStatusChanged>(Infrastructure);
        await CommunityAsync(UniqueDistrict());
        using var import = await PostAsync(Operator(), Path, new { reports = new[] { Closed(LedgerId(), DateTimeOffset.UtcNow.AddDays(-20)) } });
        var importedId = (await ReadAsync<HazardImportResult>(import)).Reports[0].Id;

        // A live report made after the import is published: the outbox has run past the import.
        var live = (await ReportHazardAsync(Guid.NewGuid(), "hanging-cable", Lat + 0.01, Lon)).Body.Report;
        await reported.NextAsync(e => e.GetProperty("message").GetProperty("reportId").GetGuid() == live.Id);

        await Assert.ThrowsAsync<TimeoutException>(() =>
            reported.NextAsync(e => e.GetProperty("message").GetProperty("reportId").GetGuid() == importedId, TimeSpan.FromSeconds(3)));
        await Assert.ThrowsAsync<TimeoutException>(() =>
            changed.NextAsync(e => e.GetProperty("message").GetProperty("reportId").GetGuid() == importedId, TimeSpan.FromSeconds(1)));
        await WaitForEmptyOutboxAsync();
    }

    [Fact]
    public async Task Only_operators_import()
    {
        var batch = new { reports = new[] { Open(LedgerId(), DateTimeOffset.UtcNow.AddDays(-3)) } };
        foreach (var caller in new[] { Worker(Guid.NewGuid()), Staff(Guid.NewGuid()), Officer(), Agency("housing") })
        {
            using var response = await PostAsync(caller, Path, batch);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }
        using var anonymous = await PostAsync(Anonymous(), Path, batch);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(0, (await GetOkAsync<Page<HazardReportView>>(Operator(), "/hazard-reports?source=imported")).Total);
    }

    [Fact]
    public async Task Bad_history_is_refused_naming_the_row_and_field_and_nothing_is_kept()
    {
        var now = DateTimeOffset.UtcNow;
        var outOfOrder = new
        {
            externalId = LedgerId(), category = "clutter", latitude = Lat, longitude = Lon, reportedAt = now.AddDays(-5),
            history = new object[] { new { status = "acknowledged", at = now.AddDays(-2) }, new { status = "in-progress", at = now.AddDays(-3) } },
        };
        var skipping = new
        {
            externalId = LedgerId(), category = "clutter", latitude = Lat, longitude = Lon, reportedAt = now.AddDays(-5),
            history = new object[] { new { status = "closed", at = now.AddDays(-2), notes = "已清理" } },
        };
        var closedWithoutNotes = new
        {
            externalId = LedgerId(), category = "clutter", latitude = Lat, longitude = Lon, reportedAt = now.AddDays(-5),
            history = new object[] { new { status = "acknowledged", at = now.AddDays(-4) }, new { status = "in-progress", at = now.AddDays(-3) }, new { status = "closed", at = now.AddDays(-2) } },
        };
        var futureStep = new
        {
            externalId = LedgerId(), category = "clutter", latitude = Lat, longitude = Lon, reportedAt = now.AddDays(-5),
            history = new object[] { new { status = "acknowledged", at = now.AddDays(2) } },
        };
        var beforeReport = new
        {
            externalId = LedgerId(), category = "clutter", latitude = Lat, longitude = Lon, reportedAt = now.AddDays(-5),
            history = new object[] { new { status = "acknowledged", at = now.AddDays(-6) } },
        };

        using var response = await PostAsync(Operator(), Path, new
        {
            reports = new object[]
            {
                outOfOrder, skipping, closedWithoutNotes, futureStep, beforeReport,
                Open(LedgerId(), now.AddDays(1)), Open(LedgerId(), now.AddDays(-800)), Open(LedgerId(), now.AddDays(-1), latitude: 91), Open("", now.AddDays(-1)),
            },
        });

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest,
            "reports[0].history[1].at", "reports[1].history[0].status", "reports[2].history[2].notes", "reports[3].history[0].at", "reports[4].history[0].at",
            "reports[5].reportedAt", "reports[6].reportedAt", "reports[7].latitude", "reports[8].externalId");
        Assert.Equal(0, (await GetOkAsync<Page<HazardReportView>>(Operator(), "/hazard-reports?source=imported")).Total);
    }

    [Fact]
    public async Task Unknown_categories_missing_fields_repeated_ids_and_oversized_batches_are_refused()
    {
        using var unknownCategory = await PostRawAsync(Operator(), Path,
            $$"""{"reports":[{"externalId":"a","category":"alien-landing","latitude":39.5,"longitude":116.7,"reportedAt":"{{DateTimeOffset.UtcNow.AddDays(-3):O}}"}]}""");
        await ProblemAssert.IsProblemAsync(unknownCategory, HttpStatusCode.BadRequest, "reports[0].category");

        using var missing = await PostAsync(Operator(), Path, new { reports = new object[] { new { externalId = "b" } } });
        await ProblemAssert.IsProblemAsync(missing, HttpStatusCode.BadRequest, "reports[0].category", "reports[0].latitude", "reports[0].longitude", "reports[0].reportedAt");

        var id = LedgerId();
        using var repeated = await PostAsync(Operator(), Path, new { reports = new[] { Open(id, DateTimeOffset.UtcNow.AddDays(-2)), Open(id, DateTimeOffset.UtcNow.AddDays(-1)) } });
        await ProblemAssert.IsProblemAsync(repeated, HttpStatusCode.BadRequest, "reports[1].externalId");

        using var empty = await PostAsync(Operator(), Path, new { reports = Array.Empty<object>() });
        await ProblemAssert.IsProblemAsync(empty, HttpStatusCode.BadRequest, "reports");

        var tooMany = Enumerable.Range(0, HazardImport.MaxBatch + 1).Select(i => Open($"big-{i}", DateTimeOffset.UtcNow.AddDays(-1), Lat + i * 0.001)).ToArray();
        using var oversized = await PostAsync(Operator(), Path, new { reports = tooMany });
        await ProblemAssert.IsProblemAsync(oversized, HttpStatusCode.BadRequest, "reports");
    }

    private static string Q(DateTimeOffset time) => Uri.EscapeDataString(time.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
}

using System.Net;
using System.Text.Json;
using Platform.Contracts;
using Platform.ServiceDefaults.Http;
using Platform.TestSupport;
using Platform.Volunteers.Apis;
using Platform.Volunteers.Domain;

namespace Platform.Volunteers.Tests.Http;

public sealed class HazardReportsApiTests(LocalInfrastructure infrastructure) : VolunteersApiTest(infrastructure)
{
    [Fact]
    public async Task A_report_is_routed_at_intake_and_HazardReported_carries_no_reporter()
    {
        await using var listener = await ExchangeListener.ForAsync<HazardReported>(Infrastructure);
        var district = UniqueDistrict();
        var community = await CommunityAsync(district);
        var workerId = Guid.NewGuid();

        var (status, body) = await ReportHazardAsync(workerId, "broken-manhole-cover", Lat + 0.001, Lon, "井盖缺失");

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.False(body.MeToo);
        var report = body.Report;
        Assert.Equal((HazardCategory.BrokenManholeCover, district, community, "housing", HazardStatus.Open),
            (report.Category, report.District, report.CommunityId, report.Department, report.Status));
        var envelope = await listener.NextAsync(e => e.GetProperty("message").GetProperty("reportId").GetGuid() == report.Id);
        var message = envelope.GetProperty("message");
        Assert.Equal(["category", "district", "latitude", "longitude", "reportId", "reportedAt", "responsibleAgency", "status"],
            message.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(("broken-manhole-cover", "housing", "open", district), (message.GetProperty("category").GetString(),
            message.GetProperty("responsibleAgency").GetString(), message.GetProperty("status").GetString(), message.GetProperty("district").GetString()));
        Assert.DoesNotContain(workerId.ToString(), envelope.GetRawText(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Officers_route_a_category_to_another_department_in_one_district()
    {
        var district = UniqueDistrict();
        await CommunityAsync(district);
        var elsewhere = UniqueDistrict();
        await CommunityAsync(elsewhere, Lat + 0.5, Lon + 0.5);

        using var byWorker = await PutAsync(Worker(Guid.NewGuid()), "/hazard-routes", new { category = "open-garbage", district, department = "sanitation" });
        Assert.Equal(HttpStatusCode.Forbidden, byWorker.StatusCode);
        using var bad = await PutAsync(Officer(), "/hazard-routes", new { category = "open-garbage", district, department = "Sanitation Bureau" });
        await ProblemAssert.IsProblemAsync(bad, HttpStatusCode.BadRequest, "department");
        using var defined = await PutAsync(Officer(), "/hazard-routes", new { category = "open-garbage", district, department = "sanitation" });
        Assert.Equal(HttpStatusCode.OK, defined.StatusCode);

        var here = await ReportHazardAsync(Guid.NewGuid(), "open-garbage", Lat, Lon);
        var there = await ReportHazardAsync(Guid.NewGuid(), "open-garbage", Lat + 0.5, Lon + 0.5);
        var farAway = await ReportHazardAsync(Guid.NewGuid(), "open-garbage", 30.0, 100.0);

        Assert.Equal("sanitation", here.Body.Report.Department);
        Assert.Equal("urban-management", there.Body.Report.Department);
        Assert.Equal(("urban-management", "unknown", (Guid?)null), (farAway.Body.Report.Department, farAway.Body.Report.District, farAway.Body.Report.CommunityId));
        var routes = await GetOkAsync<Page<HazardRouteView>>(Officer(), $"/hazard-routes?district={Uri.EscapeDataString(district)}");
        Assert.Equal("sanitation", Assert.Single(routes.Items).Department);
        using var removed = await Officer().DeleteAsync(new Uri($"/hazard-routes?category=open-garbage&district={Uri.EscapeDataString(district)}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        Assert.Equal("urban-management", (await ReportHazardAsync(Guid.NewGuid(), "open-garbage", Lat + 0.01, Lon)).Body.Report.Department);
    }

    [Fact]
    public async Task The_same_hazard_within_30_m_joins_the_open_report_and_the_second_reporter_follows_it()
    {
        await CommunityAsync(UniqueDistrict());
        var first = Guid.NewGuid();
        var second = Guid.NewGuid();
        var original = await ReportHazardAsync(first, "hanging-cable", Lat, Lon);
        var near = North(Lat, Lon, 25);
        var far = North(Lat, Lon, 40);

        var meToo = await ReportHazardAsync(second, "hanging-cable", near.Latitude, near.Longitude);
        var again = await ReportHazardAsync(second, "hanging-cable", Lat, Lon);
        var otherHazard = await ReportHazardAsync(second, "open-garbage", Lat, Lon);
        var farther = await ReportHazardAsync(second, "hanging-cable", far.Latitude, far.Longitude);

        Assert.Equal(HttpStatusCode.OK, meToo.Status);
        Assert.True(meToo.Body.MeToo);
        Assert.Equal(original.Body.Report.Id, meToo.Body.Report.Id);
        Assert.Equal(1, meToo.Body.Report.MeTooCount);
        Assert.Contains("already", meToo.Body.Notice, StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.OK, original.Body.Report.Id, 1), (again.Status, again.Body.Report.Id, again.Body.Report.MeTooCount));
        Assert.Equal(HttpStatusCode.Created, otherHazard.Status);
        Assert.Equal(HttpStatusCode.Created, farther.Status);

        var mine = await GetOkAsync<Page<MyHazardReport>>(Worker(second), "/hazard-reports/mine");
        Assert.Equal(3, mine.Total);
        Assert.Contains(mine.Items, m => m.Report.Id == original.Body.Report.Id && m.MeToo);
    }

    [Fact]
    public async Task Workers_reporting_one_hazard_at_the_same_moment_make_one_report()
    {
        await CommunityAsync(UniqueDistrict());
        var workers = Enumerable.Range(0, 12).Select(_ => Guid.NewGuid()).ToList();

        var answers = await Task.WhenAll(workers.Select((w, i) => ReportHazardAsync(w, "elevator-failure", Lat + i * 0.000_01, Lon)));

        Assert.Single(answers, a => a.Status == HttpStatusCode.Created);
        Assert.Single(answers.Select(a => a.Body.Report.Id).Distinct());
        Assert.Equal(11, await Service.ScalarAsync<long>("SELECT \"MeTooCount\" FROM hazard_reports WHERE \"Category\" = 'ElevatorFailure'"));
    }

    [Fact]
    public async Task The_responsible_department_moves_the_report_to_closed_and_the_reporter_sees_it_closed()
    {
        await using var listener = await ExchangeListener.ForAsync<HazardStatusChanged>(Infrastructure);
        await CommunityAsync(UniqueDistrict());
        var reporter = Guid.NewGuid();
        var report = (await ReportHazardAsync(reporter, "broken-manhole-cover", Lat, Lon)).Body.Report;
        var housing = Agency("housing");
        var path = $"/hazard-reports/{report.Id}/status";

        using var wrongAgency = await PostAsync(Agency("power-supply"), path, new { status = "acknowledged" });
        Assert.Equal(HttpStatusCode.NotFound, wrongAgency.StatusCode);
        using var byReporter = await PostAsync(Worker(reporter), path, new { status = "acknowledged" });
        Assert.Equal(HttpStatusCode.Forbidden, byReporter.StatusCode);
        using var skipping = await PostAsync(housing, path, new { status = "closed", notes = "已更换" });
        await ProblemAssert.IsProblemAsync(skipping, HttpStatusCode.Conflict);
        Assert.Equal(report.Id, Assert.Single((await GetOkAsync<Page<HazardReportView>>(housing, "/hazard-reports?status=open")).Items).Id);
        Assert.Equal(0, (await GetOkAsync<Page<HazardReportView>>(Agency("power-supply"), "/hazard-reports")).Total);

        foreach (var step in new[] { "acknowledged", "in-progress" })
        {
            using var moved = await PostAsync(housing, path, new { status = step });
            Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        }
        using var noNotes = await PostAsync(housing, path, new { status = "closed" });
        await ProblemAssert.IsProblemAsync(noNotes, HttpStatusCode.BadRequest, "notes");
        using var closed = await PostAsync(housing, path, new { status = "closed", notes = "井盖已更换" });
        Assert.Equal(HttpStatusCode.OK, closed.StatusCode);
        var detail = await ReadAsync<HazardReportDetail>(closed);
        Assert.Equal([HazardStatus.Acknowledged, HazardStatus.InProgress, HazardStatus.Closed], detail.History.Select(h => h.To));
        Assert.All(detail.History, h => Assert.Equal("housing", h.By));
        using var reopen = await PostAsync(housing, path, new { status = "rejected", notes = "x" });
        await ProblemAssert.IsProblemAsync(reopen, HttpStatusCode.Conflict);

        var mine = Assert.Single((await GetOkAsync<Page<MyHazardReport>>(Worker(reporter), "/hazard-reports/mine")).Items);
        Assert.Equal((HazardStatus.Closed, "井盖已更换"), (mine.Report.Status, mine.Report.StatusNotes));
        Assert.NotNull(mine.Report.ClosedAt);
        Assert.Equal(HazardStatus.Closed, (await GetOkAsync<HazardReportDetail>(Worker(reporter), $"/hazard-reports/{report.Id}")).Report.Status);
        Assert.Equal(HttpStatusCode.NotFound, await StatusOfGetAsync(Worker(Guid.NewGuid()), $"/hazard-reports/{report.Id}"));

        var changes = new List<(DateTimeOffset At, string Status)>();
        for (var i = 0; i < 3; i++)
        {
            var envelope = await listener.NextAsync(e => e.GetProperty("message").GetProperty("reportId").GetGuid() == report.Id);
            changes.Add((envelope.GetProperty("message").GetProperty("changedAt").GetDateTimeOffset(), envelope.GetProperty("message").GetProperty("status").GetString()!));
            Assert.Equal("housing", envelope.GetProperty("message").GetProperty("responsibleAgency").GetString());
        }
        // In the order of their times, as a consumer reads them: the broker does not promise its own order (docs/events.md).
        Assert.Equal(["acknowledged", "in-progress", "closed"], changes.OrderBy(c => c.At).Select(c => c.Status));
        Assert.Equal(3, changes.Select(c => c.At).Distinct().Count());
    }

    [Fact]
    public async Task Staff_of_the_report_s_community_may_reject_it_with_a_reason_and_a_closed_hazard_is_reported_anew()
    {
        var district = UniqueDistrict();
        var community = await CommunityAsync(district);
        var other = await CommunityAsync(district, Lat + 0.3, Lon, "远处社区");
        var report = (await ReportHazardAsync(Guid.NewGuid(), "clutter", Lat, Lon)).Body.Report;
        var path = $"/hazard-reports/{report.Id}/status";

        using var notTheirs = await PostAsync(Staff(other), path, new { status = "rejected", notes = "重复" });
        Assert.Equal(HttpStatusCode.NotFound, notTheirs.StatusCode);
        using var noReason = await PostAsync(Staff(community), path, new { status = "rejected" });
        await ProblemAssert.IsProblemAsync(noReason, HttpStatusCode.BadRequest, "notes");
        using var unknownStatus = await PostAsync(Staff(community), path, new { status = "done" });
        await ProblemAssert.IsProblemAsync(unknownStatus, HttpStatusCode.BadRequest, "status");
        using var rejected = await PostAsync(Staff(community), path, new { status = "rejected", notes = "私人物品，已联系业主" });
        Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);
        Assert.Equal("community-staff", Assert.Single((await ReadAsync<HazardReportDetail>(rejected)).History).By);

        var anew = await ReportHazardAsync(Guid.NewGuid(), "clutter", Lat, Lon);
        Assert.Equal(HttpStatusCode.Created, anew.Status);
        Assert.NotEqual(report.Id, anew.Body.Report.Id);
    }

    [Fact]
    public async Task Reporter_identity_is_not_shown_to_departments_or_the_public()
    {
        await CommunityAsync(UniqueDistrict());
        var reporter = Guid.NewGuid();
        var report = (await ReportHazardAsync(reporter, "broken-manhole-cover", Lat, Lon)).Body.Report;

        foreach (var (client, path) in new[]
        {
            (Agency("housing"), $"/hazard-reports/{report.Id}"),
            (Agency("housing"), "/hazard-reports"),
            (Officer(), "/hazard-reports"),
            (Anonymous(), "/open311/v2/requests.json"),
            (Anonymous(), $"/open311/v2/requests/{report.Id}.json"),
        })
        {
            using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {body}");
            Assert.Contains(report.Id.ToString(), body, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(reporter.ToString(), body, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task Bad_reports_are_400_naming_the_field_and_anonymous_callers_cannot_report()
    {
        var worker = Worker(Guid.NewGuid());

        using var unknownCategory = await PostRawAsync(worker, "/hazard-reports", """{"category":"alien-landing","latitude":39.5,"longitude":116.7}""");
        await ProblemAssert.IsProblemAsync(unknownCategory, HttpStatusCode.BadRequest, "category");
        using var outOfRange = await PostAsync(worker, "/hazard-reports", new { category = "clutter", latitude = 91.0, longitude = 181.0 });
        await ProblemAssert.IsProblemAsync(outOfRange, HttpStatusCode.BadRequest, "latitude", "longitude");
        using var missing = await PostAsync(worker, "/hazard-reports", new { description = "?" });
        await ProblemAssert.IsProblemAsync(missing, HttpStatusCode.BadRequest, "category", "latitude", "longitude");
        using var tooLong = await PostAsync(worker, "/hazard-reports", new { category = "clutter", latitude = Lat, longitude = Lon, description = new string('x', 1001) });
        await ProblemAssert.IsProblemAsync(tooLong, HttpStatusCode.BadRequest, "description");
        using var anonymous = await PostAsync(Anonymous(), "/hazard-reports", new { category = "clutter", latitude = Lat, longitude = Lon });
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(0, await Service.ScalarAsync<long>("SELECT count(*) FROM hazard_reports"));
    }

    [Fact]
    public async Task A_retried_report_with_the_same_idempotency_key_is_taken_once()
    {
        var worker = Worker(Guid.NewGuid());
        var body = new { category = "clutter", latitude = Lat, longitude = Lon };

        using var first = await PostAsync(worker, "/hazard-reports", body, "retry-1");
        using var retry = await PostAsync(worker, "/hazard-reports", body, "retry-1");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal((await ReadAsync<HazardIntakeResponse>(first)).Report.Id, (await ReadAsync<HazardIntakeResponse>(retry)).Report.Id);
        Assert.Equal(1, await Service.ScalarAsync<long>("SELECT count(*) FROM hazard_submissions"));
    }

    [Fact]
    public async Task Statistics_count_workers_where_they_serve_hazards_and_the_median_time_to_close()
    {
        var community = await CommunityAsync(UniqueDistrict());
        await WorkerServingInAsync(community, await EnterpriseAsync());
        var closedOne = (await ReportHazardAsync(Guid.NewGuid(), "open-garbage", Lat, Lon)).Body.Report;
        await ReportHazardAsync(Guid.NewGuid(), "hanging-cable", Lat, Lon);
        foreach (var (status, notes) in new[] { ("acknowledged", (string?)null), ("in-progress", null), ("closed", "已清运") })
        {
            using var moved = await PostAsync(Operator(), $"/hazard-reports/{closedOne.Id}/status", new { status, notes });
            Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        }

        var stats = await GetOkAsync<VolunteerStats>(Officer(), "/stats");

        Assert.Equal((1, 0), (stats.Workers, stats.PartyMembers));
        Assert.Equal(1, stats.WorkersByOccupation["food-delivery-rider"]);
        Assert.Equal(new CommunityCount(community, "银河北路社区", 1), Assert.Single(stats.WorkersByCommunity));
        Assert.Equal(1, stats.ReportInsByStatus["active"]);
        Assert.Equal(2, stats.HazardReports);
        Assert.Equal(1, stats.HazardsByCategory["open-garbage"]);
        Assert.Equal(1, stats.HazardsByStatus["closed"]);
        Assert.Equal(1, stats.HazardsByStatus["open"]);
        Assert.Equal(1, stats.HazardsByDepartment["power-supply"]);
        Assert.NotNull(stats.MedianHoursToClose);
        Assert.InRange(stats.MedianHoursToClose!.Value, 0, 1);
        Assert.Equal(HttpStatusCode.Forbidden, await StatusOfGetAsync(Worker(Guid.NewGuid()), "/stats"));
        Assert.Equal(0, (await GetOkAsync<VolunteerStats>(Officer(), $"/stats?from={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(1).ToString("O"))}")).HazardReports);
    }
}

public sealed class HazardRateLimitTests(LocalInfrastructure infrastructure) : VolunteersApiTest(infrastructure)
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string> { ["Volunteers:Hazards:ReportsPerHour"] = "3" };

    [Fact]
    public async Task A_worker_reporting_too_often_gets_429_with_Retry_After_and_others_are_not_affected()
    {
        var busy = Worker(Guid.NewGuid());
        for (var i = 0; i < 3; i++)
        {
            using var ok = await PostAsync(busy, "/hazard-reports", new { category = "clutter", latitude = Lat + i * 0.01, longitude = Lon });
            Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        }

        using var limited = await PostAsync(busy, "/hazard-reports", new { category = "clutter", latitude = Lat + 0.05, longitude = Lon });

        await ProblemAssert.IsProblemAsync(limited, HttpStatusCode.TooManyRequests);
        Assert.InRange(int.Parse(limited.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 3000, 3600);
        using var someoneElse = await PostAsync(Worker(Guid.NewGuid()), "/hazard-reports", new { category = "clutter", latitude = Lat + 0.05, longitude = Lon });
        Assert.Equal(HttpStatusCode.Created, someoneElse.StatusCode);
        Assert.Equal(4, await Service.ScalarAsync<long>("SELECT count(*) FROM hazard_reports"));
    }
}

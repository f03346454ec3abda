using System.Net;
using Platform.TestSupport;

namespace Platform.Volunteers.Tests.Http;

/// <summary>The dashboard's hazard figures move when a worker reports and when the department closes, with no person in them.</summary>
public sealed class HazardMetricsTests(LocalInfrastructure infrastructure) : VolunteersApiTest(infrastructure)
{
    [Fact]
    public async Task Reporting_counts_one_new_hazard_by_category_and_district_and_a_me_too_apart()
    {
        var district = UniqueDistrict();
        await CommunityAsync(district);
        using var reported = Service.Services.Collect<long>(VolunteersTelemetry.Name, "platform.hazards.reported");
        using var meToo = Service.Services.Collect<long>(VolunteersTelemetry.Name, "platform.hazards.me_too");
        var reporter = Guid.NewGuid();

        var (status, _) = await ReportHazardAsync(reporter, "broken-manhole-cover", Lat, Lon, "井盖缺失");
        Assert.Equal(HttpStatusCode.Created, status);
        var (again, _) = await ReportHazardAsync(Guid.NewGuid(), "broken-manhole-cover", Lat, Lon);
        Assert.Equal(HttpStatusCode.OK, again);

        var measurement = Assert.Single(await reported.WaitForAsync());
        Assert.Equal(1, measurement.Value);
        Assert.Equal(("broken-manhole-cover", district), (measurement.Tags["category"], measurement.Tags["district"]));
        Assert.Equal(1, Assert.Single(await meToo.WaitForAsync()).Value);
        Assert.Single(reported.GetMeasurementSnapshot());
        Assert.DoesNotContain(measurement.Tags.Values, v => v?.ToString()?.Contains(reporter.ToString(), StringComparison.OrdinalIgnoreCase) == true);
    }

    [Fact]
    public async Task Closing_or_rejecting_counts_a_closed_hazard_with_its_outcome_and_nothing_before()
    {
        var district = UniqueDistrict();
        await CommunityAsync(district);
        using var closed = Service.Services.Collect<long>(VolunteersTelemetry.Name, "platform.hazards.closed");
        var first = (await ReportHazardAsync(Guid.NewGuid(), "broken-manhole-cover", Lat, Lon)).Body.Report;
        var second = (await ReportHazardAsync(Guid.NewGuid(), "hanging-cable", Lat, Lon)).Body.Report;

        foreach (var step in new[] { "acknowledged", "in-progress" })
        {
            using var moved = await PostAsync(Agency(first.Department), $"/hazard-reports/{first.Id}/status", new { status = step });
            Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        }
        Assert.Empty(closed.GetMeasurementSnapshot());
        using (var done = await PostAsync(Agency(first.Department), $"/hazard-reports/{first.Id}/status", new { status = "closed", notes = "井盖已更换" }))
        {
            Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        }
        using (var rejected = await PostAsync(Agency(second.Department), $"/hazard-reports/{second.Id}/status", new { status = "rejected", notes = "重复报告" }))
        {
            Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);
        }

        var measurements = await closed.WaitForAsync(2);
        Assert.Equal(
            [("broken-manhole-cover", "closed"), ("hanging-cable", "rejected")],
            measurements.Select(m => ((string)m.Tags["category"]!, (string)m.Tags["outcome"]!)).Order());
        Assert.All(measurements, m => Assert.Equal(district, m.Tags["district"]));
    }
}

using System.Net;
using Platform.Stations.Apis;
using Platform.TestSupport;

namespace Platform.Stations.Tests.Http;

/// <summary>The dashboard's check-in figure counts visits (not repeated scans, not refused codes) by district, with no worker in it.</summary>
public sealed class CheckInMetricsTests(LocalInfrastructure infrastructure) : StationsApiTest(infrastructure)
{
    [Fact]
    public async Task A_check_in_counts_one_visit_by_district_and_a_repeated_scan_or_a_refused_code_counts_none()
    {
        using var checkIns = Service.Services.Collect<long>(StationsTelemetry.Name, "platform.stations.check_ins");
        var station = await OpenStationAsync(StationBody(await CommunityAsync("香河县")));
        var code = (await OkAsync<CheckInCodeResponse>(Keeper(station.Id), $"/stations/{station.Id}/check-in-code")).Code;
        var workerId = Guid.NewGuid();
        var worker = Worker(workerId);

        await ExpectAsync(await PostAsync(worker, $"/stations/{station.Id}/check-ins", new { code = "RS1.forged" }), HttpStatusCode.UnprocessableEntity);
        await ExpectAsync(await PostAsync(worker, $"/stations/{station.Id}/check-ins", new { code }), HttpStatusCode.Created);
        await ExpectAsync(await PostAsync(worker, $"/stations/{station.Id}/check-ins", new { code }), HttpStatusCode.OK);

        var visit = Assert.Single(await checkIns.WaitForAsync());
        Assert.Equal((1L, "香河县", "street-community"), (visit.Value, visit.Tags["district"], visit.Tags["host_type"]));
        Assert.DoesNotContain(visit.Tags.Values, v => Equals(v?.ToString(), workerId.ToString()));
        // The repeated scan above was answered before this read: had it counted, it would be here.
        Assert.Single(checkIns.GetMeasurementSnapshot());
    }
}

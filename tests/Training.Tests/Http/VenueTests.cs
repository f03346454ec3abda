using System.Net;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Platform.Contracts;
using Platform.ServiceDefaults.Http;
using Platform.TestSupport;
using Platform.Training.Apis;

namespace Platform.Training.Tests.Http;

/// <summary>The local venue copy fed by the stations service's events, and courses held at a station.</summary>
public sealed class VenueTests(LocalInfrastructure infrastructure) : TrainingApiTest(infrastructure)
{
    [Fact]
    public async Task An_opened_station_becomes_a_venue_a_course_can_be_held_at_and_a_closed_one_no_longer()
    {
        var bus = Service.Services.GetRequiredService<IBus>();
        var district = $"区{Guid.NewGuid():N}"[..12];
        var stationId = Guid.NewGuid();
        var opened = DateTimeOffset.UtcNow.AddMinutes(-10);
        await bus.Publish(new StationOpened(stationId, "银河北路暖蜂驿站", Guid.NewGuid(), district, 39.52, 116.70, ["water"], opened));
        var venue = await Eventually.Until(
            _ => PageAsync<VenueSummary>(Staff, $"/venues?district={Uri.EscapeDataString(district)}"),
            p => p.Items.Count == 1, "the opened station in the venue list");
        Assert.Equal(new VenueSummary(stationId, "银河北路暖蜂驿站", district, 39.52, 116.70, true), venue.Items[0]);

        var body = CourseBody();
        body["delivery"] = "station";
        body["stationId"] = stationId;
        var course = await CreateCourseAsync(body);
        Assert.Equal("银河北路暖蜂驿站", course.Station!.Name);

        // An older update arriving late changes nothing; the closure closes it.
        await bus.Publish(new StationUpdated(stationId, "旧名", Guid.NewGuid(), district, 39.5, 116.7, [], opened.AddMinutes(-5)));
        await bus.Publish(new StationClosed(stationId, DateTimeOffset.UtcNow));
        await Eventually.Until(
            _ => PageAsync<VenueSummary>(Staff, $"/venues?district={Uri.EscapeDataString(district)}"),
            p => p.Total == 0, "the closed station gone from the venue list");
        var closed = Assert.Single((await PageAsync<VenueSummary>(Staff, $"/venues?district={Uri.EscapeDataString(district)}&includeClosed=true")).Items);
        Assert.Equal(("银河北路暖蜂驿站", false), (closed.Name, closed.IsOpen));

        using var refused = await PostAsync(Staff, "/courses", body);
        await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.BadRequest, "stationId");
    }

    [Fact]
    public async Task A_closure_arriving_before_the_opening_leaves_the_station_closed()
    {
        var bus = Service.Services.GetRequiredService<IBus>();
        var district = $"区{Guid.NewGuid():N}"[..12];
        var stationId = Guid.NewGuid();
        var now = DateTimeOffset.UtcNow;
        await bus.Publish(new StationClosed(stationId, now));
        await Eventually.Until(_ => Service.ScalarAsync<long>("SELECT count(*) FROM venues"), n => n == 1, "the closure recorded");

        await bus.Publish(new StationOpened(stationId, "夜归驿站", Guid.NewGuid(), district, 39.5, 116.7, [], now.AddDays(-30)));

        var all = await Eventually.Until(
            _ => PageAsync<VenueSummary>(Staff, $"/venues?district={Uri.EscapeDataString(district)}&includeClosed=true"),
            p => p.Items.Count == 1, "the station's details known");
        Assert.False(all.Items[0].IsOpen);
        Assert.Equal(0, (await PageAsync<VenueSummary>(Staff, $"/venues?district={Uri.EscapeDataString(district)}")).Total);
    }

    [Fact]
    public async Task A_course_at_an_unknown_station_is_a_400_naming_stationId()
    {
        var body = CourseBody();
        body["delivery"] = "station";
        body["stationId"] = Guid.NewGuid();

        using var response = await PostAsync(Staff, "/courses", body);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "stationId");
    }
}

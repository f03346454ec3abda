using System.Net;
using Platform.Contracts;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.Security;
using Platform.Stations.Apis;
using Platform.Stations.Domain;
using Platform.TestSupport;

namespace Platform.Stations.Tests.Http;

public sealed class StationsApiTests(LocalInfrastructure infrastructure) : StationsApiTest(infrastructure)
{
    private static readonly string[] HeatingAndMicrowave = ["heating", "microwave"];
    private static readonly string[] WaterOnly = ["water"];

    [Fact]
    public async Task An_officer_opens_a_station_anyone_reads_it_and_StationOpened_is_published()
    {
        await using var listener = await ExchangeListener.ForAsync<StationOpened>(Infrastructure);
        var community = await CommunityAsync("安次区");

        var station = await OpenStationAsync(StationBody(community, amenities: ["charging", "first-aid-kit", "wi-fi"]));

        var read = await OkAsync<StationResponse>(Anonymous, $"/stations/{station.Id}");
        Assert.Equal("银河北路红色驿站", read.Name);
        Assert.Equal(HostType.StreetCommunity, read.HostType);
        Assert.Equal("安次区", read.District);
        Assert.Equal([Amenity.Charging, Amenity.FirstAidKit, Amenity.WiFi], read.Amenities);
        Assert.Equal([SixCan.GetMedicine, SixCan.Charge], read.SixCans);
        Assert.Equal(new OpenState(true, null, null), read.Now);
        Assert.Equal(StationStatus.Active, read.Status);
        var message = MessageOf(await listener.NextAsync(e => MessageOf(e).GetProperty("stationId").GetGuid() == station.Id));
        Assert.Equal(community, message.GetProperty("communityId").GetGuid());
        Assert.Equal("安次区", message.GetProperty("district").GetString());
        Assert.Equal(116.6946, message.GetProperty("longitude").GetDouble());
        Assert.Equal(["charging", "first-aid-kit", "wi-fi"], message.GetProperty("amenities").EnumerateArray().Select(a => a.GetString()));
        await WaitForEmptyOutboxAsync();
    }

    [Fact]
    public async Task Bad_station_details_are_a_400_naming_each_field()
    {
        var body = StationBody(Guid.NewGuid(), latitude: 91, longitude: -181, hours: new
        {
            weekly = new[] { new { day = "monday", opens = "25:00", closes = "18:00" } },
            exceptions = Array.Empty<object>(),
        });
        body["name"] = " ";

        using var response = await PostAsync(Officer, "/stations", body);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "name", "communityId", "latitude", "longitude", "hours.weekly[0].opens");
    }

    [Fact]
    public async Task An_unknown_amenity_or_field_is_a_400_not_ignored()
    {
        var community = await CommunityAsync();
        var body = StationBody(community, amenities: ["jacuzzi"]);

        using var response = await PostAsync(Officer, "/stations", body);
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);

        var extra = StationBody(community);
        extra["status"] = "closed";
        using var second = await PostAsync(Officer, "/stations", extra);
        await ProblemAssert.IsProblemAsync(second, HttpStatusCode.BadRequest, "status");
    }

    [Fact]
    public async Task Only_officers_and_operators_open_stations()
    {
        var body = StationBody(await CommunityAsync());

        await ExpectAsync(await PostAsync(Keeper(Guid.NewGuid()), "/stations", body), HttpStatusCode.Forbidden);
        await ExpectAsync(await PostAsync(Worker(Guid.NewGuid()), "/stations", body), HttpStatusCode.Forbidden);
        await ExpectAsync(await PostAsync(Anonymous, "/stations", body), HttpStatusCode.Unauthorized);
        await ExpectAsync(await PostAsync(Client(TestTokens.For(PlatformRoles.Operator)), "/stations", body), HttpStatusCode.Created);
    }

    [Fact]
    public async Task A_keeper_sets_the_hours_of_their_own_station_only_and_search_answers_with_them_at_once()
    {
        var community = await CommunityAsync();
        var mine = await OpenStationAsync(StationBody(community, latitude: 39.40, longitude: 116.40));
        var theirs = await OpenStationAsync(StationBody(community, latitude: 39.41, longitude: 116.41));
        var keeper = Keeper(mine.Id);
        // 2026-11-25 is a Wednesday; 10:00 in Shanghai.
        var at = Uri.EscapeDataString("2026-11-25T10:00:00+08:00");
        var hours = new
        {
            weekly = new[] { new { day = "wednesday", opens = "08:00", closes = "12:00" } },
            exceptions = new[] { new { from = "2026-11-26", to = "2026-11-27", hours = Array.Empty<object>(), note = "设备检修" } },
        };

        using var set = await PutAsync(keeper, $"/stations/{mine.Id}/hours", hours);
        await ExpectAsync(await PutAsync(keeper, $"/stations/{theirs.Id}/hours", hours), HttpStatusCode.Forbidden);

        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        var updated = await ReadAsync<StationResponse>(set);
        Assert.Equal("设备检修", Assert.Single(updated.Hours.Exceptions!).Note);
        var hit = Assert.Single((await NearbyAsync($"latitude=39.40&longitude=116.40&radius=500&at={at}")).Items);
        Assert.True(hit.IsOpen);
        Assert.Equal(DateTimeOffset.Parse("2026-11-25T12:00:00+08:00", System.Globalization.CultureInfo.InvariantCulture), hit.OpenUntil);
        var evening = Uri.EscapeDataString("2026-11-25T20:00:00+08:00");
        Assert.Empty((await NearbyAsync($"latitude=39.40&longitude=116.40&radius=500&open=true&at={evening}")).Items);
        var closed = Assert.Single((await NearbyAsync($"latitude=39.40&longitude=116.40&radius=500&at={evening}")).Items);
        Assert.False(closed.IsOpen);
        // Thursday and Friday are the exception: next opening is the following Wednesday.
        Assert.Equal(DateTimeOffset.Parse("2026-12-02T08:00:00+08:00", System.Globalization.CultureInfo.InvariantCulture), closed.OpensAt);
    }

    [Fact]
    public async Task A_keeper_changes_amenities_which_publishes_StationUpdated_and_changes_the_six_cans()
    {
        await using var listener = await ExchangeListener.ForAsync<StationUpdated>(Infrastructure);
        var station = await OpenStationAsync(StationBody(await CommunityAsync()));

        using var response = await PutAsync(Keeper(station.Id), $"/stations/{station.Id}/amenities", new { amenities = HeatingAndMicrowave });

        var updated = await ReadAsync<StationResponse>(response);
        Assert.Equal([SixCan.WarmUp], updated.SixCans);
        var message = MessageOf(await listener.NextAsync(e => MessageOf(e).GetProperty("stationId").GetGuid() == station.Id));
        Assert.Equal(["microwave", "heating"], message.GetProperty("amenities").EnumerateArray().Select(a => a.GetString()));
    }

    [Fact]
    public async Task Closing_removes_the_station_from_search_and_maps_publishes_StationClosed_and_cannot_happen_twice()
    {
        await using var listener = await ExchangeListener.ForAsync<StationClosed>(Infrastructure);
        var station = await OpenStationAsync(StationBody(await CommunityAsync(), latitude: 39.30, longitude: 116.30));
        Assert.Single((await NearbyAsync("latitude=39.30&longitude=116.30&radius=100")).Items);

        await ExpectAsync(await PostAsync(Officer, $"/stations/{station.Id}/close"), HttpStatusCode.OK);

        Assert.Empty((await NearbyAsync("latitude=39.30&longitude=116.30&radius=100")).Items);
        var map = await OkAsync<StationFeatureCollection>(Anonymous, "/stations/geojson");
        Assert.DoesNotContain(map.Features, f => f.Id == station.Id);
        await listener.NextAsync(e => MessageOf(e).GetProperty("stationId").GetGuid() == station.Id);
        await ProblemAssert.IsProblemAsync(await PostAsync(Officer, $"/stations/{station.Id}/close"), HttpStatusCode.Conflict);
        await ProblemAssert.IsProblemAsync(await PutAsync(Officer, $"/stations/{station.Id}/hours", EveryDay("08:00", "18:00")), HttpStatusCode.Conflict);
        var list = await OkAsync<Page<StationResponse>>(Officer, "/stations?status=closed");
        Assert.Equal(station.Id, Assert.Single(list.Items).Id);
    }

    [Fact]
    public async Task An_unknown_station_is_404()
    {
        await ExpectAsync(await Anonymous.GetAsync(new Uri($"/stations/{Guid.NewGuid()}", UriKind.Relative)), HttpStatusCode.NotFound);
        await ExpectAsync(await PutAsync(Officer, $"/stations/{Guid.NewGuid()}/amenities", new { amenities = WaterOnly }), HttpStatusCode.NotFound);
    }
}

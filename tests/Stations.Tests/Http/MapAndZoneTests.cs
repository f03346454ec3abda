using System.Net;
using System.Text.Json;
using Platform.ServiceDefaults.Http;
using Platform.Stations.Apis;
using Platform.TestSupport;

namespace Platform.Stations.Tests.Http;

public sealed class MapAndZoneTests(LocalInfrastructure infrastructure) : StationsApiTest(infrastructure)
{
    [Fact]
    public async Task All_stations_are_an_rfc_7946_feature_collection_with_longitude_first()
    {
        var station = await OpenStationAsync(StationBody(await CommunityAsync(), latitude: 39.5186, longitude: 116.6946));

        using var response = await Anonymous.GetAsync(new Uri("/stations/geojson", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/geo+json", response.Content.Headers.ContentType?.MediaType);
        var root = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("FeatureCollection", root.GetProperty("type").GetString());
        var feature = Assert.Single(root.GetProperty("features").EnumerateArray());
        Assert.Equal("Feature", feature.GetProperty("type").GetString());
        Assert.Equal(station.Id.ToString(), feature.GetProperty("id").GetString());
        Assert.Equal("Point", feature.GetProperty("geometry").GetProperty("type").GetString());
        Assert.Equal([116.6946, 39.5186], feature.GetProperty("geometry").GetProperty("coordinates").EnumerateArray().Select(c => c.GetDouble()));
        Assert.Equal("银河北路红色驿站", feature.GetProperty("properties").GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_bounding_box_keeps_the_stations_inside_it_and_a_bad_box_is_a_400()
    {
        var community = await CommunityAsync();
        var inside = await OpenStationAsync(StationBody(community, 39.50, 116.70));
        await OpenStationAsync(StationBody(community, 39.80, 116.70));

        var map = await OkAsync<StationFeatureCollection>(Anonymous, "/stations/geojson?bbox=116.6,39.4,116.8,39.6");

        Assert.Equal(inside.Id, Assert.Single(map.Features).Id);
        Assert.Equal(1, map.Total);
        await ProblemAssert.IsProblemAsync(await Anonymous.GetAsync(new Uri("/stations/geojson?bbox=116.6,39.6,116.8,39.4", UriKind.Relative)), HttpStatusCode.BadRequest, "bbox");
        await ProblemAssert.IsProblemAsync(await Anonymous.GetAsync(new Uri("/stations/geojson?pageSize=5001", UriKind.Relative)), HttpStatusCode.BadRequest, "pageSize");
    }

    [Fact]
    public async Task A_zone_groups_stations_and_its_geojson_has_only_its_active_members()
    {
        var community = await CommunityAsync();
        var a = await OpenStationAsync(StationBody(community, 39.50, 116.70, name: "甲驿站"));
        var b = await OpenStationAsync(StationBody(community, 39.51, 116.71, name: "乙驿站"));
        var outside = await OpenStationAsync(StationBody(community, 39.52, 116.72, name: "丙驿站"));
        using var created = await PostAsync(Officer, "/zones", new { name = "广阳区红色服务圈", description = "银河北路沿线" });
        var zone = await ReadAsync<ZoneResponse>(created);

        await ExpectAsync(await PutAsync(Officer, $"/zones/{zone.Id}/stations/{a.Id}", new { }), HttpStatusCode.NoContent);
        await ExpectAsync(await PutAsync(Officer, $"/zones/{zone.Id}/stations/{b.Id}", new { }), HttpStatusCode.NoContent);
        await ExpectAsync(await PutAsync(Officer, $"/zones/{zone.Id}/stations/{b.Id}", new { }), HttpStatusCode.NoContent);
        await ExpectAsync(await PostAsync(Officer, $"/stations/{b.Id}/close"), HttpStatusCode.OK);

        var map = await OkAsync<StationFeatureCollection>(Anonymous, $"/zones/{zone.Id}/geojson");
        Assert.Equal([a.Id], map.Features.Select(f => f.Id));
        Assert.DoesNotContain(map.Features, f => f.Id == outside.Id);
        var zones = await OkAsync<Page<ZoneResponse>>(Anonymous, "/zones");
        Assert.Equal(2, Assert.Single(zones.Items).Stations);
        await ProblemAssert.IsProblemAsync(await PostAsync(Officer, "/zones", new { name = "广阳区红色服务圈" }), HttpStatusCode.Conflict);
        await ProblemAssert.IsProblemAsync(await PutAsync(Officer, $"/zones/{zone.Id}/stations/{Guid.NewGuid()}", new { }), HttpStatusCode.NotFound);
        await ExpectAsync(await PutAsync(Keeper(a.Id), $"/zones/{zone.Id}/stations/{outside.Id}", new { }), HttpStatusCode.Forbidden);
    }
}

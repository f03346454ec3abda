using System.Globalization;
using System.Net;
using Platform.Stations.Apis;
using Platform.Stations.Domain;
using Platform.TestSupport;
using Platform.ServiceDefaults.Geography;

namespace Platform.Stations.Tests.Http;

public sealed class NearbyApiTests(LocalInfrastructure infrastructure) : StationsApiTest(infrastructure)
{
    private static readonly string[] AmenityWords = ["water", "charging", "microwave", "rest", "toilet", "heating", "first-aid-kit"];

    private static readonly (string Opens, string Closes)[] HourChoices = [("00:00", "24:00"), ("08:00", "20:00"), ("20:00", "08:00"), ("06:00", "10:00")];

    [Fact]
    public async Task Nearby_search_gives_the_same_answers_as_a_brute_force_over_the_stations()
    {
        var random = new Random(42);
        var community = await CommunityAsync();
        var stations = new List<(Guid Id, double Lat, double Lon, HashSet<string> Amenities, OpeningHours Hours)>();
        for (var i = 0; i < 60; i++)
        {
            var lat = Math.Round(39.52 + ((random.NextDouble() - 0.5) * 0.1), 6);
            var lon = Math.Round(116.70 + ((random.NextDouble() - 0.5) * 0.12), 6);
            var amenities = AmenityWords.Where(_ => random.Next(2) == 0).ToArray();
            var (opens, closes) = HourChoices[random.Next(HourChoices.Length)];
            var created = await OpenStationAsync(StationBody(community, lat, lon, amenities, EveryDay(opens, closes), name: $"驿站{i}"));
            stations.Add((created.Id, lat, lon, [.. amenities], HoursDocument.Read(created.Hours.ToJson())));
        }

        for (var q = 0; q < 40; q++)
        {
            var lat = 39.52 + ((random.NextDouble() - 0.5) * 0.12);
            var lon = 116.70 + ((random.NextDouble() - 0.5) * 0.14);
            var radius = random.Next(300, 6000);
            var wanted = random.Next(2) == 0 ? AmenityWords.Where(_ => random.Next(4) == 0).ToArray() : [];
            var at = new DateTimeOffset(2026, 11, 25, random.Next(24), random.Next(60), 0, TimeSpan.FromHours(8));
            var open = random.Next(2) == 0;
            var limit = random.Next(1, 30);
            var query = string.Create(CultureInfo.InvariantCulture,
                $"latitude={lat}&longitude={lon}&radius={radius}&limit={limit}&open={(open ? "true" : "false")}&at={Uri.EscapeDataString(at.ToString("O", CultureInfo.InvariantCulture))}") +
                (wanted.Length > 0 ? $"&amenities={string.Join(',', wanted)}" : "");

            var answer = await NearbyAsync(query);

            var expected = stations
                .Select(s => (s.Id, Distance: GeoPoint.Distance(lat, lon, s.Lat, s.Lon), s))
                .Where(x => x.Distance <= radius && wanted.All(x.s.Amenities.Contains) && (!open || x.s.Hours.IsOpenAt(at)))
                .OrderBy(x => x.Distance).ThenBy(x => x.Id)
                .Take(limit)
                .ToList();
            Assert.Equal(expected.Select(x => x.Id), answer.Items.Select(h => h.Id));
            Assert.All(answer.Items.Zip(expected), p => Assert.Equal(p.Second.Distance, p.First.DistanceMetres, 0.06));
            Assert.All(answer.Items.Zip(expected), p => Assert.Equal(p.Second.s.Hours.IsOpenAt(at), p.First.IsOpen));
        }
    }

    [Theory]
    [InlineData("latitude=91&longitude=116.7", "latitude")]
    [InlineData("latitude=39.5&longitude=181", "longitude")]
    [InlineData("latitude=NaN&longitude=116.7", "latitude")]
    [InlineData("longitude=116.7", "latitude")]
    [InlineData("latitude=abc&longitude=116.7", "latitude")]
    [InlineData("latitude=39.5&longitude=116.7&radius=0", "radius")]
    [InlineData("latitude=39.5&longitude=116.7&radius=-5", "radius")]
    [InlineData("latitude=39.5&longitude=116.7&radius=50001", "radius")]
    [InlineData("latitude=39.5&longitude=116.7&limit=0", "limit")]
    [InlineData("latitude=39.5&longitude=116.7&amenities=water,sauna", "amenities")]
    [InlineData("latitude=39.5&longitude=116.7&at=yesterday", "at")]
    public async Task Invalid_coordinates_radius_or_filters_are_a_400_naming_the_parameter(string query, string field)
    {
        using var response = await Anonymous.GetAsync(new Uri($"/stations/nearby?{query}", UriKind.Relative));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, field);
    }

    [Fact]
    public async Task The_index_is_rebuilt_from_the_database_after_a_restart_with_the_same_answers()
    {
        var community = await CommunityAsync();
        var a = await OpenStationAsync(StationBody(community, 39.70, 116.90, ["charging"]));
        var b = await OpenStationAsync(StationBody(community, 39.701, 116.90, ["water"]));
        var c = await OpenStationAsync(StationBody(community, 39.702, 116.90, ["charging"]));
        // Moved away, then closed: neither may come back after the restart.
        await ExpectAsync(await PutAsync(Officer, $"/stations/{b.Id}", StationBody(community, 39.90, 117.00, ["water"])), HttpStatusCode.OK);
        await ExpectAsync(await PostAsync(Officer, $"/stations/{c.Id}/close"), HttpStatusCode.OK);
        var before = await NearbyAsync("latitude=39.70&longitude=116.90&radius=1000");
        var database = await StopServiceAsync();

        await using var restarted = StartService(database);
        await restarted.StartAsync();
        var client = ClientFor(restarted, null);

        var after = await NearbyAsync("latitude=39.70&longitude=116.90&radius=1000", client);
        Assert.Equal([a.Id], before.Items.Select(i => i.Id));
        Assert.Equal(Describe(before), Describe(after));
        Assert.Equal([b.Id], (await NearbyAsync("latitude=39.90&longitude=117.00&radius=100", client)).Items.Select(i => i.Id));
    }

    private static string[] Describe(NearbyResponse r) =>
        [.. r.Items.Select(i => $"{i.Id} {i.Name} {i.Latitude} {i.Longitude} {i.DistanceMetres} {string.Join(',', i.Amenities)} {i.IsOpen} {i.OpenUntil}")];

    [Fact]
    public async Task A_change_made_through_one_instance_reaches_the_index_of_another()
    {
        await using var second = StartService(Service.DatabaseConnectionString);
        await second.StartAsync();
        var other = ClientFor(second, null);
        var community = await CommunityAsync();

        var station = await OpenStationAsync(StationBody(community, 39.60, 116.60));

        await Eventually.Until(_ => NearbyAsync("latitude=39.60&longitude=116.60&radius=100", other), r => r.Items.Count == 1, "the new station in the other instance");
        await ExpectAsync(await PutAsync(Officer, $"/stations/{station.Id}", StationBody(community, 39.65, 116.65)), HttpStatusCode.OK);
        await Eventually.Until(_ => NearbyAsync("latitude=39.65&longitude=116.65&radius=100", other), r => r.Items.Count == 1, "the moved station in the other instance");
        Assert.Empty((await NearbyAsync("latitude=39.60&longitude=116.60&radius=100", other)).Items);
        await ExpectAsync(await PostAsync(Officer, $"/stations/{station.Id}/close"), HttpStatusCode.OK);
        await Eventually.Until(_ => NearbyAsync("latitude=39.65&longitude=116.65&radius=100", other), r => r.Items.Count == 0, "the closed station gone from the other instance");
    }
}

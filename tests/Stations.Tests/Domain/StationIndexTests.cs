using Platform.ServiceDefaults.Validation;
using Platform.Stations.Application;
using Platform.Stations.Domain;

namespace Platform.Stations.Tests.Domain;

/// <summary>The grid index answers exactly as looking at every station would, and follows changes.</summary>
public sealed class StationIndexTests
{
    private static readonly OpeningHours DayHours = new HoursDocument(
        [.. Enum.GetValues<DayOfWeek>().Select(d => new WeeklyHours(d, "08:00", "20:00"))], null).ToHours(new FieldErrors(), "h")!;

    private static readonly OpeningHours NightHours = new HoursDocument(
        [.. Enum.GetValues<DayOfWeek>().Select(d => new WeeklyHours(d, "20:00", "08:00"))], null).ToHours(new FieldErrors(), "h")!;

    private static StationPin Pin(Random random, long revision, double lat, double lon) => new(
        Guid.NewGuid(), $"驿站{revision}", HostType.StreetCommunity, Guid.Empty, "广阳区", "地址",
        lat, lon, (Amenity)random.Next(0, 1 << 13), random.Next(3) switch { 0 => DayHours, 1 => NightHours, _ => OpeningHours.AroundTheClock }, revision);

    [Fact]
    public void Nearby_answers_match_a_full_scan_on_random_stations_and_queries()
    {
        var random = new Random(20261125);
        var index = new StationIndex();
        for (var i = 1; i <= 5000; i++)
        {
            // Around Langfang, denser near the centre.
            var pin = Pin(random, i, 39.52 + (random.NextDouble() - 0.5) * 0.6 * random.NextDouble(), 116.70 + (random.NextDouble() - 0.5) * 0.8 * random.NextDouble());
            Assert.True(index.Apply(pin.Id, pin, pin.Revision));
        }

        for (var q = 0; q < 1000; q++)
        {
            var query = new NearbyQuery(
                39.52 + (random.NextDouble() - 0.5) * 0.7,
                116.70 + (random.NextDouble() - 0.5) * 0.9,
                random.Next(4) == 0 ? random.Next(10_000, 50_000) : random.Next(50, 5_000),
                random.Next(3) == 0 ? (Amenity)(1 << random.Next(13)) | (Amenity)(1 << random.Next(13)) : default,
                random.Next(2) == 0 ? new DateTimeOffset(2026, 11, 25, random.Next(24), 0, 0, TimeSpan.FromHours(8)) : null,
                random.Next(1, 101));

            var expected = index.NearbyByFullScan(query);
            var actual = index.Nearby(query);

            Assert.Equal(expected.Select(h => h.Station.Id), actual.Select(h => h.Station.Id));
            Assert.Equal(expected.Select(h => h.DistanceMetres), actual.Select(h => h.DistanceMetres));
        }
    }

    [Fact]
    public void Results_are_nearest_first_within_the_radius_with_great_circle_distances()
    {
        var index = new StationIndex();
        var random = new Random(1);
        var near = Pin(random, 1, 39.5200, 116.7000) with { Amenities = Amenity.Charging, Hours = OpeningHours.AroundTheClock };
        var middle = Pin(random, 2, 39.5290, 116.7000) with { Amenities = Amenity.Charging, Hours = OpeningHours.AroundTheClock };
        var far = Pin(random, 3, 39.5600, 116.7000) with { Amenities = Amenity.Charging, Hours = OpeningHours.AroundTheClock };
        foreach (var p in new[] { far, near, middle })
        {
            index.Apply(p.Id, p, p.Revision);
        }

        var hits = index.Nearby(new NearbyQuery(39.5200, 116.7000, 2_000, Amenity.Charging, null, 10));

        Assert.Equal([near.Id, middle.Id], hits.Select(h => h.Station.Id));
        Assert.Equal(0, hits[0].DistanceMetres, 3);
        // 0.009 degrees of latitude is about 1000.8 m.
        Assert.InRange(hits[1].DistanceMetres, 999, 1002);
    }

    [Fact]
    public void A_moved_station_is_found_only_at_its_new_place_and_a_closed_one_nowhere()
    {
        var index = new StationIndex();
        var random = new Random(2);
        var pin = Pin(random, 1, 39.52, 116.70);
        index.Apply(pin.Id, pin, 1);

        index.Apply(pin.Id, pin with { Latitude = 39.60, Longitude = 116.80, Revision = 2 }, 2);

        Assert.Empty(index.Nearby(new NearbyQuery(39.52, 116.70, 1_000, default, null, 10)));
        Assert.Single(index.Nearby(new NearbyQuery(39.60, 116.80, 1_000, default, null, 10)));

        index.Apply(pin.Id, null, 3);

        Assert.Empty(index.Nearby(new NearbyQuery(39.60, 116.80, 1_000, default, null, 10)));
        Assert.Equal(0, index.Count);
    }

    [Fact]
    public void An_older_change_arriving_late_never_brings_a_closed_station_back()
    {
        var index = new StationIndex();
        var pin = Pin(new Random(3), 5, 39.52, 116.70);
        index.Apply(pin.Id, null, 7);

        Assert.False(index.Apply(pin.Id, pin, 5));

        Assert.Null(index.Find(pin.Id));
        Assert.Empty(index.Nearby(new NearbyQuery(39.52, 116.70, 1_000, default, null, 10)));
    }

    [Fact]
    public void Stations_across_the_antimeridian_are_found_from_either_side()
    {
        var index = new StationIndex();
        var east = Pin(new Random(4), 1, 0, 179.999) with { Amenities = default };
        var west = Pin(new Random(5), 2, 0, -179.999) with { Amenities = default };
        index.Apply(east.Id, east, 1);
        index.Apply(west.Id, west, 2);

        var hits = index.Nearby(new NearbyQuery(0, 179.9995, 1_000, default, null, 10));

        Assert.Equal(2, hits.Count);
    }
}

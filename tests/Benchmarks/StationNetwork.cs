using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Platform.TestSupport;

namespace Platform.Benchmarks;

/// <summary>
/// A large city's station network for the gateway benchmarks: stations opened through the stations service's own API
/// (so its index is built as in service) about 30 km x 30 km around Langfang's centre, and a nearby query that finds
/// some of them.
/// </summary>
public static class StationNetwork
{
    /// <summary>2 km around the city centre, stations with a charger that are open now.</summary>
    public const string NearbyQuery = "latitude=39.5186&longitude=116.6946&radius=2000&amenities=charging&open=true";

    /// <summary>Opens <paramref name="count"/> stations through <paramref name="officer"/> and returns the first one's id.</summary>
    public static async Task<Guid> OpenAsync(HttpClient officer, string database, int count)
    {
        var communityId = await CommunityAsync(database);
        var random = new Random(7);
        var everyDay = Enum.GetValues<DayOfWeek>().Select(d => new { day = d.ToString().ToLowerInvariant(), opens = "00:00", closes = "24:00" }).ToArray();
        string[][] kits = [["water", "charging", "rest"], ["water", "microwave"], ["charging", "toilet", "heating"], ["rest", "reading", "wi-fi"]];
        var first = Guid.Empty;
        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            double lat, lon;
            lock (random)
            {
                (lat, lon) = (39.38 + random.NextDouble() * 0.27, 116.52 + random.NextDouble() * 0.35);
            }
            using var response = await officer.PostAsJsonAsync("/stations", new
            {
                name = $"红色驿站{i:D5}", hostType = "street-community", communityId, address = $"广阳区{i}号",
                latitude = lat, longitude = lon, hours = new { weekly = everyDay, exceptions = Array.Empty<object>() },
                amenities = kits[i % kits.Length],
            }, ct);
            response.EnsureSuccessStatusCode();
            if (i == 0)
            {
                first = (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("id").GetGuid();
            }
        });
        MessagingBenchmark.Log($"opened {count:N0} stations through the API in {watch.Elapsed.TotalSeconds:0.0} s");
        // The index follows the database on its own schedule: measure once it holds the stations.
        var found = await Eventually.Until(
            async ct => (await officer.GetFromJsonAsync<JsonElement>($"/stations/nearby?{NearbyQuery}", ct)).GetProperty("items").GetArrayLength(),
            n => n == 20, "the index holding the opened stations", TimeSpan.FromSeconds(60));
        MessagingBenchmark.Log($"the nearby query finds {found} stations (its limit)");
        return first;
    }

    /// <summary>Set-up only: the community copy is normally fed by the organizations service's event (tested elsewhere).</summary>
    private static async Task<Guid> CommunityAsync(string database)
    {
        var id = Guid.NewGuid();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync(timeout.Token);
        await using var command = new NpgsqlCommand(
            "INSERT INTO communities (\"Id\", \"Name\", \"District\", \"Street\", \"Latitude\", \"Longitude\", \"RegisteredAt\", \"AsOf\") " +
            "VALUES (@id, '银河北路社区', '广阳区', '银河北路街道', 39.52, 116.70, now(), now())", connection);
        command.Parameters.AddWithValue("id", id);
        await command.ExecuteNonQueryAsync(timeout.Token);
        return id;
    }
}

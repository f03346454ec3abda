using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Platform.ServiceDefaults.Security;
using Platform.Stations.Apis;
using Platform.Stations.Domain;
using Platform.TestSupport;

namespace Platform.Stations.Tests.Http;

/// <summary>
/// Runs the stations service (its real Program) on Kestrel against a fresh database on the test PostgreSQL server and
/// the test RabbitMQ node, once per test, with a check-in signing key generated for the run.
/// </summary>
[Collection(InfrastructureCollection.Name)]
public abstract class StationsApiTest(LocalInfrastructure infrastructure) : ServiceApiTest<Program>(infrastructure, "stations")
{
    /// <summary>An organization officer (administers stations).</summary>
    protected HttpClient Officer { get; private set; } = null!;
    /// <summary>No token at all: a map app or a worker before signing in.</summary>
    protected HttpClient Anonymous { get; private set; } = null!;

    protected static string NewCheckInKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    protected string CheckInKey { get; } = NewCheckInKey();

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        [global::Platform.Stations.Domain.CheckInKey.Setting] = CheckInKey,
        ["Platform:Stations:Index:RefreshInterval"] = "00:00:00.200",
    };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Officer = ClientFor(TestTokens.For(PlatformRoles.OrgOfficer));
        Anonymous = ClientFor(null);
    }

    /// <summary>Another instance with this test's key, on this test's database (or another's), not started: a second instance, a restart.</summary>
    protected ServiceFactory<Program> StartService(string? databaseConnectionString = null, IReadOnlyDictionary<string, string>? more = null)
    {
        var settings = Settings.ToDictionary();
        if (databaseConnectionString is not null)
        {
            settings["ConnectionStrings:stations-db"] = databaseConnectionString;
        }
        foreach (var (k, v) in more ?? new Dictionary<string, string>())
        {
            settings[k] = v;
        }
        return new ServiceFactory<Program>(Infrastructure, "stations", settings);
    }

    protected HttpClient ClientFor(ServiceFactory<Program> service, string? token) => Track(service.CreateHttpClient(token));

    protected HttpClient Client(string token) => ClientFor(token);

    protected HttpClient Keeper(params Guid[] stations) =>
        Client(TestTokens.For(PlatformRoles.StationKeeper, null, [.. stations.Select(s => (PlatformClaims.Station, s.ToString()))]));

    protected HttpClient Worker(Guid workerId) => Client(TestTokens.ForWorker(workerId));

    /// <summary>
    /// Puts a community in the local copy directly (the copy's feeding by events is covered by CommunityDirectoryTests;
    /// publishing here would race other instances on the shared queue).
    /// </summary>
    protected async Task<Guid> CommunityAsync(string district = "广阳区", ServiceFactory<Program>? service = null)
    {
        var id = Guid.NewGuid();
        await using var connection = new NpgsqlConnection((service ?? Service).DatabaseConnectionString);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await connection.OpenAsync(timeout.Token);
        await using var command = new NpgsqlCommand(
            "INSERT INTO communities (\"Id\", \"Name\", \"District\", \"Street\", \"Latitude\", \"Longitude\", \"RegisteredAt\") VALUES (@id, @name, @district, '银河北路街道', 39.52, 116.70, now())",
            connection);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("name", $"社区{id:N}"[..20]);
        command.Parameters.AddWithValue("district", district);
        await command.ExecuteNonQueryAsync(timeout.Token);
        return id;
    }

    protected static object EveryDay(string opens, string closes) => new
    {
        weekly = Enum.GetValues<DayOfWeek>().Select(d => new { day = KebabDay(d), opens, closes }).ToArray(),
        exceptions = Array.Empty<object>(),
    };

    protected static string KebabDay(DayOfWeek d) => d.ToString().ToLowerInvariant();

    protected static Dictionary<string, object?> StationBody(Guid communityId, double latitude = 39.5186, double longitude = 116.6946,
        string[]? amenities = null, object? hours = null, string name = "银河北路红色驿站", string hostType = "street-community") => new()
    {
        ["name"] = name,
        ["hostType"] = hostType,
        ["communityId"] = communityId,
        ["address"] = "广阳区银河北路 88 号",
        ["latitude"] = latitude,
        ["longitude"] = longitude,
        ["hours"] = hours ?? EveryDay("00:00", "24:00"),
        ["amenities"] = amenities ?? ["water", "charging", "rest"],
    };

    protected static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (body is not null)
        {
            request.Content = new StringContent(JsonSerializer.Serialize(body, JsonSerializerOptions.Web), Encoding.UTF8, "application/json");
        }
        return await client.SendAsync(request);
    }

    protected static Task<HttpResponseMessage> PostAsync(HttpClient client, string path, object? body = null) => SendAsync(client, HttpMethod.Post, path, body ?? new { });

    protected static Task<HttpResponseMessage> PutAsync(HttpClient client, string path, object body) => SendAsync(client, HttpMethod.Put, path, body);

    protected async Task<StationResponse> OpenStationAsync(Dictionary<string, object?> body)
    {
        using var response = await PostAsync(Officer, "/stations", body);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await ReadAsync<StationResponse>(response);
    }

    protected static async Task<T> OkAsync<T>(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await ReadAsync<T>(response);
    }

    protected static async Task ExpectAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        using (response)
        {
            Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    protected Task<NearbyResponse> NearbyAsync(string query, HttpClient? client = null) => OkAsync<NearbyResponse>(client ?? Anonymous, $"/stations/nearby?{query}");

    protected static JsonElement MessageOf(JsonElement envelope) => envelope.GetProperty("message");
}

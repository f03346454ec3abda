using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Platform.Contracts;
using Platform.ServiceDefaults.Security;
using Platform.TestSupport;
using Platform.Volunteers.Apis;

namespace Platform.Volunteers.Tests.Http;

/// <summary>
/// Runs the volunteers service (its real Program) on Kestrel against a fresh database on the test PostgreSQL server and
/// the test RabbitMQ node, once per test. Enterprises and communities reach it as they do in production: as events on
/// the bus.
/// </summary>
[Collection(InfrastructureCollection.Name)]
public abstract class VolunteersApiTest(LocalInfrastructure infrastructure) : ServiceApiTest<Program>(infrastructure, "volunteers")
{
    /// <summary>Langfang, Guangyang district: the community office every test places hazards around.</summary>
    protected const double Lat = 39.5186;
    protected const double Lon = 116.6946;

    protected HttpClient Worker(Guid workerId) => ClientFor(TestTokens.ForWorker(workerId));
    protected HttpClient Staff(params Guid[] communities) =>
        ClientFor(TestTokens.For(PlatformRoles.CommunityStaff, null, [.. communities.Select(c => (PlatformClaims.Community, c.ToString()))]));
    protected HttpClient Officer(Guid? subject = null) => ClientFor(TestTokens.For(PlatformRoles.OrgOfficer, subject));
    protected HttpClient Supervisor(Guid? subject = null) => ClientFor(TestTokens.For(PlatformRoles.Supervisor, subject));
    protected HttpClient Operator() => ClientFor(TestTokens.For(PlatformRoles.Operator));
    protected HttpClient Agency(string department) => ClientFor(TestTokens.For(PlatformRoles.PartnerAgency, null, (PlatformClaims.ClientId, department)));
    protected HttpClient Anonymous() => ClientFor(null);

    protected static string UniqueDistrict() => $"区{Guid.NewGuid():N}"[..20];

    /// <summary>A mainland mobile number no other test uses.</summary>
    protected static string UniquePhone() => "139" + Random.Shared.NextInt64(10_000_000, 99_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);

    protected async Task PublishAsync<T>(T message) where T : class
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await Service.Services.GetRequiredService<IBus>().Publish(message, timeout.Token);
    }

    /// <summary>An enterprise registered with organizations, once it has reached this service's copy.</summary>
    protected async Task<Guid> EnterpriseAsync(string? district = "广阳区")
    {
        var id = Guid.NewGuid();
        await PublishAsync(new EnterpriseRegistered(id, "美团廊坊站", "91131000MA0A1B2C3D", "food-delivery", district, DateTimeOffset.UtcNow));
        await Eventually.Until(_ => Service.ScalarAsync<long>("SELECT count(*) FROM enterprises WHERE \"Id\" = @id", ("id", id)), n => n == 1, "the enterprise copied");
        return id;
    }

    /// <summary>A community registered with organizations, once it has reached this service's copy.</summary>
    protected async Task<Guid> CommunityAsync(string district, double latitude = Lat, double longitude = Lon, string name = "银河北路社区")
    {
        var id = Guid.NewGuid();
        await PublishAsync(new CommunityRegistered(id, name, district, "银河北路街道", latitude, longitude, DateTimeOffset.UtcNow));
        await Eventually.Until(_ => Service.ScalarAsync<long>("SELECT count(*) FROM communities WHERE \"Id\" = @id", ("id", id)), n => n == 1, "the community copied");
        return id;
    }

    protected static object WorkerBody(Guid enterpriseId, string phone, string name = "张三丰", string? idNumber = null, string occupation = "food-delivery-rider",
        bool partyMember = false, string? partyJoinedOn = null) => new
    {
        name,
        phone,
        idNumber,
        occupation,
        enterpriseId,
        partyMember,
        partyJoinedOn,
    };

    protected async Task<WorkerProfile> RegisterWorkerAsync(Guid workerId, Guid enterpriseId, string? phone = null, bool partyMember = false)
    {
        using var response = await PostAsync(Worker(workerId), "/workers/me",
            WorkerBody(enterpriseId, phone ?? UniquePhone(), partyMember: partyMember, partyJoinedOn: partyMember ? "2015-07-01" : null));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await ReadAsync<WorkerProfile>(response);
    }

    /// <summary>A worker registered and reported in to <paramref name="communityId"/>, confirmed by its staff.</summary>
    protected async Task<Guid> WorkerServingInAsync(Guid communityId, Guid enterpriseId, bool partyMember = false)
    {
        var workerId = Guid.NewGuid();
        await RegisterWorkerAsync(workerId, enterpriseId, partyMember: partyMember);
        using var requested = await PostAsync(Worker(workerId), "/workers/me/report-ins", new { communityId });
        var reportIn = await ReadAsync<ReportInView>(requested);
        using var confirmed = await Staff(communityId).PostAsync(new Uri($"/report-ins/{reportIn.Id}/confirm", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        return workerId;
    }

    protected static async Task<HttpResponseMessage> PostRawAsync(HttpClient client, string path, string body, string mediaType = "application/json", string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = new StringContent(body, Encoding.UTF8, mediaType) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }
        return await client.SendAsync(request);
    }

    protected static Task<HttpResponseMessage> PostAsync(HttpClient client, string path, object body, string? idempotencyKey = null) =>
        PostRawAsync(client, path, JsonSerializer.Serialize(body, JsonSerializerOptions.Web), idempotencyKey: idempotencyKey);

    protected static Task<HttpResponseMessage> PostEmptyAsync(HttpClient client, string path) =>
        client.PostAsync(new Uri(path, UriKind.Relative), null);

    protected static Task<HttpResponseMessage> DeleteAsync(HttpClient client, string path) =>
        client.DeleteAsync(new Uri(path, UriKind.Relative));

    protected static Task<HttpResponseMessage> PutAsync(HttpClient client, string path, object body) =>
        client.PutAsync(new Uri(path, UriKind.Relative), new StringContent(JsonSerializer.Serialize(body, JsonSerializerOptions.Web), Encoding.UTF8, "application/json"));

    protected static async Task<T> GetOkAsync<T>(HttpClient client, string pathAndQuery)
    {
        using var response = await client.GetAsync(new Uri(pathAndQuery, UriKind.Relative));
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {pathAndQuery}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await ReadAsync<T>(response);
    }

    protected static async Task<HttpStatusCode> StatusOfGetAsync(HttpClient client, string pathAndQuery)
    {
        using var response = await client.GetAsync(new Uri(pathAndQuery, UriKind.Relative));
        return response.StatusCode;
    }

    protected static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    /// <summary>Reports a hazard as <paramref name="workerId"/> through the platform API and returns the answer.</summary>
    protected async Task<(HttpStatusCode Status, HazardIntakeResponse Body)> ReportHazardAsync(Guid workerId, string category, double latitude, double longitude, string? description = null)
    {
        using var response = await PostAsync(Worker(workerId), "/hazard-reports", new { category, latitude, longitude, description });
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (response.StatusCode, await ReadAsync<HazardIntakeResponse>(response));
    }

    /// <summary>A point <paramref name="metresNorth"/> north of (<paramref name="latitude"/>, <paramref name="longitude"/>).</summary>
    protected static (double Latitude, double Longitude) North(double latitude, double longitude, double metresNorth) =>
        (latitude + metresNorth / 111_195.0, longitude);
}

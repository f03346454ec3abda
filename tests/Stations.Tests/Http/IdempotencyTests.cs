using System.Net;
using System.Text;
using System.Text.Json;
using Platform.ServiceDefaults.Http;
using Platform.Stations.Apis;
using Platform.TestSupport;

namespace Platform.Stations.Tests.Http;

/// <summary>An officer's phone sends "open this station" again while the first request still runs.</summary>
public sealed class IdempotencyTests(LocalInfrastructure infrastructure) : StationsApiTest(infrastructure)
{
    [Fact]
    public async Task A_station_opened_by_overlapping_retries_exists_once_and_is_found_nearby_at_once()
    {
        var body = StationBody(await CommunityAsync(), latitude: 39.61, longitude: 116.81);
        var key = Guid.NewGuid().ToString();

        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/stations", UriKind.Relative))
            {
                Content = new StringContent(JsonSerializer.Serialize(body, JsonSerializerOptions.Web), Encoding.UTF8, "application/json"),
            };
            request.Headers.Add(Idempotency.HeaderName, key);
            using var response = await Officer.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
            return (Replayed: response.Headers.Contains("Idempotent-Replayed"), Station: await ReadAsync<StationResponse>(response));
        }));

        Assert.Single(responses, r => !r.Replayed);
        var id = Assert.Single(responses.Select(r => r.Station.Id).Distinct());
        Assert.Equal(1L, await Service.ScalarAsync<long>("SELECT count(*) FROM stations"));
        // The search index took the station when the request's transaction committed, before the answer was sent.
        var nearby = await NearbyAsync("latitude=39.61&longitude=116.81&radius=500");
        Assert.Equal(id, Assert.Single(nearby.Items).Id);
    }
}

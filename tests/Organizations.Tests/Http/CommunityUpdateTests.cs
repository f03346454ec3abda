using System.Net;
using Platform.Contracts;
using Platform.Organizations.Apis;
using Platform.TestSupport;

namespace Platform.Organizations.Tests.Http;

public sealed class CommunityUpdateTests(LocalInfrastructure infrastructure) : OrganizationsApiTest(infrastructure)
{
    [Fact]
    public async Task Correcting_a_community_answers_the_new_details_and_publishes_CommunityUpdated()
    {
        await using var listener = await ExchangeListener.ForAsync<CommunityUpdated>(Infrastructure);
        var district = UniqueDistrict();
        var community = await RegisterCommunityAsync(ValidCommunity(district));

        using var response = await SendAsync(HttpMethod.Put, $"/communities/{community.Id}", new { name = "新开路社区", district, street = "新开路街道", latitude = 39.51, longitude = 116.69 });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var updated = await ReadAsync<CommunityResponse>(response);
        Assert.Equal(("新开路社区", "新开路街道"), (updated.Name, updated.Street));
        AssertSame(updated, await GetOkAsync<CommunityResponse>($"/communities/{community.Id}"));
        var envelope = await listener.NextAsync(e => e.GetProperty("message").GetProperty("communityId").GetGuid() == community.Id);
        Assert.Equal("新开路社区", envelope.GetProperty("message").GetProperty("name").GetString());
    }

    [Fact]
    public async Task Bad_updates_are_refused_and_change_nothing()
    {
        var district = UniqueDistrict();
        var community = await RegisterCommunityAsync(ValidCommunity(district, "甲社区"));
        await RegisterCommunityAsync(ValidCommunity(district, "乙社区"));

        using var invalid = await SendAsync(HttpMethod.Put, $"/communities/{community.Id}", new { name = "", district, street = "银河北路街道", latitude = 100, longitude = 116.7 });
        using var taken = await SendAsync(HttpMethod.Put, $"/communities/{community.Id}", new { name = "乙社区", district, street = "银河北路街道", latitude = 39.5, longitude = 116.7 });
        using var unknown = await SendAsync(HttpMethod.Put, $"/communities/{Guid.NewGuid()}", new { name = "丙", district, street = "街道", latitude = 39.5, longitude = 116.7 });
        using var worker = Service.CreateHttpClient(TestTokens.ForWorker(Guid.NewGuid()));
        using var workerPut = await worker.PutAsync(new Uri($"/communities/{community.Id}", UriKind.Relative),
            new StringContent("""{"name":"x","district":"y","street":"z","latitude":1,"longitude":1}""", System.Text.Encoding.UTF8, "application/json"));

        await ProblemAssert.IsProblemAsync(invalid, HttpStatusCode.BadRequest, "name", "latitude");
        await ProblemAssert.IsProblemAsync(taken, HttpStatusCode.Conflict);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, workerPut.StatusCode);
        Assert.Equal("甲社区", (await GetOkAsync<CommunityResponse>($"/communities/{community.Id}")).Name);
    }
}

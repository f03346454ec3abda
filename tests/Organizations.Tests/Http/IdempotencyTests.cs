using System.Net;
using Platform.Organizations.Apis;
using Platform.ServiceDefaults.Http;
using Platform.TestSupport;

namespace Platform.Organizations.Tests.Http;

/// <summary>A phone on a bad network retries a POST with the same Idempotency-Key: nothing is created twice.</summary>
public sealed class IdempotencyTests(LocalInfrastructure infrastructure) : OrganizationsApiTest(infrastructure)
{
    private const string Replayed = "Idempotent-Replayed";

    [Fact]
    public async Task The_same_community_post_with_the_same_key_is_answered_once_and_replayed()
    {
        var district = UniqueDistrict();
        var body = ValidCommunity(district);
        var key = Guid.NewGuid().ToString();

        using var first = await PostAsync("/communities", body, key);
        using var second = await PostAsync("/communities", body, key);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.False(first.Headers.Contains(Replayed));
        Assert.Equal(["true"], second.Headers.GetValues(Replayed));
        var a = await ReadAsync<CommunityResponse>(first);
        var b = await ReadAsync<CommunityResponse>(second);
        Assert.Equal(a, b);
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        var list = await ListCommunitiesAsync($"?district={Uri.EscapeDataString(district)}");
        Assert.Equal(a.Id, Assert.Single(list.Items).Id);
        Assert.Equal(1, list.Total);
    }

    [Fact]
    public async Task The_same_enterprise_post_with_the_same_key_is_answered_once_and_replayed()
    {
        var body = ValidEnterprise();
        var key = Guid.NewGuid().ToString();

        using var first = await PostAsync("/enterprises", body, key);
        using var second = await PostAsync("/enterprises", body, key);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal(["true"], second.Headers.GetValues(Replayed));
        Assert.Equal(await ReadAsync<EnterpriseResponse>(first), await ReadAsync<EnterpriseResponse>(second));
        Assert.Equal(1, (await GetOkAsync<Page<EnterpriseResponse>>("/enterprises")).Total);
    }

    [Fact]
    public async Task Retries_sent_at_the_same_moment_register_once_and_all_get_the_first_answer()
    {
        for (var round = 0; round < 3; round++)
        {
            var district = UniqueDistrict();
            var body = ValidCommunity(district);
            var key = Guid.NewGuid().ToString();

            var responses = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => PostAsync("/communities", body, key)));
            try
            {
                // Not one 201 and four 409s from the unique name: the retries wait for the first and replay its answer.
                Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
                Assert.Single(responses, r => !r.Headers.Contains(Replayed));
                var answers = await Task.WhenAll(responses.Select(ReadAsync<CommunityResponse>));
                Assert.Single(answers.Distinct());
                var list = await ListCommunitiesAsync($"?district={Uri.EscapeDataString(district)}");
                Assert.Equal(answers[0].Id, Assert.Single(list.Items).Id);
            }
            finally
            {
                foreach (var response in responses)
                {
                    response.Dispose();
                }
            }
        }
    }

    [Fact]
    public async Task Without_a_key_a_second_post_is_a_second_request()
    {
        var body = ValidCommunity();

        using var first = await PostAsync("/communities", body);
        using var second = await PostAsync("/communities", body);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.False(second.Headers.Contains(Replayed));
    }

    [Fact]
    public async Task A_different_key_is_a_different_request()
    {
        var district = UniqueDistrict();

        using var first = await PostAsync("/communities", ValidCommunity(district, "甲社区"), Guid.NewGuid().ToString());
        using var second = await PostAsync("/communities", ValidCommunity(district, "乙社区"), Guid.NewGuid().ToString());

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal(2, (await ListCommunitiesAsync($"?district={Uri.EscapeDataString(district)}")).Total);
    }

    [Fact]
    public async Task The_same_key_on_another_endpoint_is_another_request()
    {
        var key = Guid.NewGuid().ToString();

        using var community = await PostAsync("/communities", ValidCommunity(), key);
        using var enterprise = await PostAsync("/enterprises", ValidEnterprise(), key);

        Assert.Equal(HttpStatusCode.Created, community.StatusCode);
        Assert.Equal(HttpStatusCode.Created, enterprise.StatusCode);
        Assert.False(enterprise.Headers.Contains(Replayed));
        Assert.Equal(1, (await GetOkAsync<Page<EnterpriseResponse>>("/enterprises")).Total);
    }

    [Fact]
    public async Task A_refused_request_is_not_remembered_so_a_corrected_retry_with_the_same_key_succeeds()
    {
        var key = Guid.NewGuid().ToString();

        using var refused = await PostAsync("/communities", new { name = "社区", district = UniqueDistrict(), street = "街道", latitude = 91.0, longitude = 0.0 }, key);
        using var corrected = await PostAsync("/communities", ValidCommunity(), key);

        await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.BadRequest, "latitude");
        Assert.Equal(HttpStatusCode.Created, corrected.StatusCode);
        Assert.False(corrected.Headers.Contains(Replayed));
    }

    [Fact]
    public async Task A_keyed_request_refused_by_the_database_s_unique_rule_answers_409_and_its_key_stays_usable()
    {
        var district = UniqueDistrict();
        using var taken = await PostAsync("/communities", ValidCommunity(district), Guid.NewGuid().ToString());
        var key = Guid.NewGuid().ToString();

        // The handler catches the failed save inside the request's transaction (EF rolls back to its savepoint).
        using var duplicate = await PostAsync("/communities", ValidCommunity(district), key);
        using var corrected = await PostAsync("/communities", ValidCommunity(district, "乙社区"), key);

        Assert.Equal(HttpStatusCode.Created, taken.StatusCode);
        await ProblemAssert.IsProblemAsync(duplicate, HttpStatusCode.Conflict);
        Assert.Equal(HttpStatusCode.Created, corrected.StatusCode);
        Assert.False(corrected.Headers.Contains(Replayed));
        Assert.Equal(2, (await ListCommunitiesAsync($"?district={Uri.EscapeDataString(district)}")).Total);
    }

    [Fact]
    public async Task A_key_longer_than_100_characters_is_a_400_problem()
    {
        using var response = await PostAsync("/communities", ValidCommunity(), new string('k', 101));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, Idempotency.HeaderName);
    }
}

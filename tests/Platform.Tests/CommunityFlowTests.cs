using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Platform.Tests;

/// <summary>End to end through the real gateway: one community registered (by the operator), seen by every service.</summary>
[Collection(PlatformCollection.Name)]
public sealed class CommunityFlowTests(PlatformFixture platform)
{
    private static readonly TimeSpan PropagationTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_community_registered_through_the_gateway_appears_in_every_other_service()
    {
        var name = $"安次区测试社区-{Guid.NewGuid():N}"[..20];
        var response = await platform.Operator.PostAsJsonAsync("/api/organizations/communities",
            new { name, district = "安次区", street = "银河南路街道", latitude = 39.50, longitude = 116.69 });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        foreach (var service in PlatformFixture.DomainServices.Skip(1))
        {
            var community = await WaitForCommunityAsync(service, id);
            Assert.Equal(name, community.GetProperty("name").GetString());
            Assert.Equal("安次区", community.GetProperty("district").GetString());
            Assert.Equal(39.50, community.GetProperty("latitude").GetDouble());
        }
    }

    [Fact]
    public async Task The_request_trace_continues_through_the_broker_into_every_consumer()
    {
        var traceId = ActivityTraceId.CreateRandom().ToString();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/organizations/communities")
        {
            Content = JsonContent.Create(new { name = $"广阳区追踪社区-{Guid.NewGuid():N}"[..20], district = "广阳区", street = "新开路街道", latitude = 39.53, longitude = 116.71 }),
        };
        // As an app would send it: the gateway continues this trace rather than starting its own.
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");
        var response = await platform.Operator.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid().ToString();

        // Organizations handled the proxied request in the caller's trace (so the gateway forwarded it)...
        var registered = await platform.FindLogLineAsync("organizations", PropagationTimeout, id, traceId);
        Assert.True(registered is not null, $"organizations did not log {id} in trace {traceId}:\n{platform.LogLines("organizations", "")}");
        // ...and each consumer handled the event in that same trace, after outbox and broker.
        foreach (var service in PlatformFixture.DomainServices.Skip(1))
        {
            var line = await platform.FindLogLineAsync(service, PropagationTimeout, id, traceId);
            Assert.True(line is not null, $"{service} did not log the community {id} in trace {traceId}.");
        }
    }

    [Fact]
    public async Task Bad_input_through_the_gateway_is_a_problem_naming_the_field()
    {
        var response = await platform.Operator.PostAsJsonAsync("/api/organizations/enterprises",
            new { name = "顺丰速运廊坊分部", creditCode = "91131000MA0XXXXXX1", industry = "express" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("creditCode", out _));
    }

    private async Task<JsonElement> WaitForCommunityAsync(string service, Guid id)
    {
        JsonElement found = default;
        await WaitUntilAsync(async () =>
        {
            var response = await platform.Operator.GetAsync($"/api/{service}/communities/{id}");
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return false;
            }
            found = await response.Content.ReadFromJsonAsync<JsonElement>();
            return true;
        }, PropagationTimeout, $"{service} never received community {id}");
        return found;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string? because = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail(because ?? $"Condition not met within {timeout}.");
            }
            await Task.Delay(200);
        }
    }
}

using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Platform.ServiceDefaults.Messaging;
using Platform.TestSupport;

namespace Platform.ServiceDefaults.Tests.Kit;

/// <summary>
/// <c>Platform:Messaging:QuorumQueues</c>: a service's queues are declared as quorum queues (replicated over a RabbitMQ
/// cluster's nodes), and events still take effect exactly once; without it they stay classic. On one node here; on a
/// three-node cluster that loses a node: <c>Platform.Tests/RabbitMqClusterTests</c>.
/// </summary>
[Collection(InfrastructureCollection.Name)]
public sealed class QuorumQueueTests(LocalInfrastructure infrastructure, Xunit.Abstractions.ITestOutputHelper output)
{
    private static string UniqueName() => $"kit{Guid.NewGuid():N}"[..14];

    private async Task<Dictionary<string, string>> QueueTypesAsync(string service)
    {
        using var management = infrastructure.RabbitMqManagementClient();
        var queues = await management.GetFromJsonAsync<JsonElement>("/api/queues/%2F?columns=name,type");
        return queues.EnumerateArray()
            .Select(q => (Name: q.GetProperty("name").GetString()!, Type: q.GetProperty("type").GetString()!))
            .Where(q => q.Name.StartsWith(service + "-", StringComparison.Ordinal))
            .ToDictionary(q => q.Name, q => q.Type);
    }

    [Fact]
    public async Task With_the_setting_a_services_queues_and_its_error_queue_are_quorum_queues_and_events_take_effect_once()
    {
        var name = UniqueName();
        await using var service = await KitService.StartAsync(infrastructure, name, quorumQueues: true);

        // One event that always fails: after its retries it goes to the consumer's _error queue, declared then.
        var poison = new KitEvent(Guid.NewGuid(), -1);
        KitConsumer.Poison[poison.Id] = true;
        try
        {
            await using (var scope = service.Services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<KitDb>();
                db.Publish(poison);
                await db.SaveChangesAsync();
            }
            var events = await service.CommitEventsAsync(500, perTransaction: 50);
            var effects = await service.WaitForEffectsAsync(events, TimeSpan.FromSeconds(60));

            Assert.Equal(500, effects.Count);
            Assert.All(effects.Values, count => Assert.Equal(1, count));
            var types = await Eventually.Until(_ => QueueTypesAsync(name), t => t.Keys.Any(q => q.EndsWith("_error", StringComparison.Ordinal)),
                "the consumer's _error queue", TimeSpan.FromSeconds(60));
            output.WriteLine(string.Join(", ", types.Select(q => $"{q.Key}: {q.Value}")));
            Assert.All(types, q => Assert.True(q.Value == "quorum", $"{q.Key} is {q.Value}"));
        }
        finally
        {
            KitConsumer.Poison.TryRemove(poison.Id, out _);
        }
    }

    [Fact]
    public async Task Without_the_setting_a_services_queues_stay_classic()
    {
        var name = UniqueName();
        await using var service = await KitService.StartAsync(infrastructure, name);

        var types = await QueueTypesAsync(name);
        Assert.NotEmpty(types);
        Assert.All(types, q => Assert.Equal("classic", q.Value));
    }
}

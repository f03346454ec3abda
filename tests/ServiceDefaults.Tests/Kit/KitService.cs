using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Platform.ServiceDefaults.Data;
using Platform.ServiceDefaults.Messaging;
using Platform.TestSupport;

namespace Platform.ServiceDefaults.Tests.Kit;

/// <summary>A small service wired exactly like the real ones: its own database, the outbox dispatcher, the inbox consumer.</summary>
public sealed class KitService : IAsyncDisposable
{
    private readonly IHost _host;

    private KitService(IHost host) => _host = host;

    public IServiceProvider Services => _host.Services;

    public static async Task<KitService> StartAsync(LocalInfrastructure infrastructure, string name, int batchSize = 500, int inboxConcurrentBatches = 2,
        bool quorumQueues = false)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ApplicationName = name, EnvironmentName = "Test" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{name}-db"] = infrastructure.PostgresConnectionString(name),
            ["ConnectionStrings:rabbitmq"] = infrastructure.RabbitMqConnectionString,
            // Short waits keep the broker-outage tests quick; the mechanism is the same.
            ["Platform:Outbox:PublishTimeout"] = "00:00:03",
            ["Platform:Outbox:MaxRetryDelay"] = "00:00:01",
            ["Platform:Outbox:BatchSize"] = batchSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Platform:Inbox:ConcurrentBatches"] = inboxConcurrentBatches.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Logging:LogLevel:Default"] = "Warning",
            [MessagingExtensions.QuorumQueuesSetting] = quorumQueues ? "true" : "false",
        });
        builder.AddServiceDatabase<KitDb>($"{name}-db");
        builder.AddMessaging<KitDb>(bus => bus.AddConsumer<KitConsumer>());
        var host = builder.Build();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await host.StartAsync(timeout.Token);
        // The consumer's queue must exist before events are published, as it does for a service that has run before.
        var health = await host.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(30));
        if (health != BusHealthStatus.Healthy)
        {
            throw new TimeoutException("The test service's bus did not become healthy within 30 s.");
        }
        return new KitService(host);
    }

    /// <summary>Commits events through the outbox, <paramref name="perTransaction"/> per transaction.</summary>
    public async Task<List<KitEvent>> CommitEventsAsync(int count, int perTransaction = 10, int firstSequence = 0)
    {
        var events = Enumerable.Range(firstSequence, count).Select(i => new KitEvent(Guid.NewGuid(), i)).ToList();
        foreach (var chunk in events.Chunk(perTransaction))
        {
            await using var scope = Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<KitDb>();
            foreach (var e in chunk)
            {
                db.Publish(e);
            }
            await db.SaveChangesAsync();
        }
        return events;
    }

    public async Task<T> QueryAsync<T>(Func<KitDb, Task<T>> query)
    {
        await using var scope = Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<KitDb>());
    }

    public Task<int> PendingAsync() => QueryAsync(db => db.Set<OutboxMessage>().CountAsync());

    /// <summary>Waits until every one of the events has taken effect (bounded), then returns effects per event.</summary>
    public async Task<Dictionary<Guid, int>> WaitForEffectsAsync(IReadOnlyCollection<KitEvent> events, TimeSpan timeout)
    {
        var ids = events.Select(e => e.Id).ToHashSet();
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var counts = await QueryAsync(db => db.Effects.Where(x => ids.Contains(x.EventId))
                .GroupBy(x => x.EventId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count));
            if (counts.Count == ids.Count || DateTime.UtcNow > deadline)
            {
                return counts;
            }
            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        // Stop the bus explicitly: a bus that was still connecting when the host stops would keep consuming
        // in this test process (a real service's process simply ends).
        await Services.GetRequiredService<IBusControl>().StopAsync(timeout.Token);
        await _host.StopAsync(timeout.Token);
        _host.Dispose();
    }
}

using System.Diagnostics;
using System.Text.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Platform.ServiceDefaults.Messaging;
using Platform.TestSupport;
using RabbitMQ.Client;

namespace Platform.ServiceDefaults.Tests.Kit;

/// <summary>The outbox and inbox on a real PostgreSQL and a real RabbitMQ.</summary>
[Collection(InfrastructureCollection.Name)]
public sealed class MessagingKitTests(LocalInfrastructure infrastructure)
{
    private static readonly TimeSpan EffectTimeout = TimeSpan.FromSeconds(60);

    private static string UniqueName() => $"kit{Guid.NewGuid():N}"[..14];

    [Fact]
    public async Task Committed_events_take_effect_exactly_once()
    {
        await using var service = await KitService.StartAsync(infrastructure, UniqueName());
        var events = await service.CommitEventsAsync(300, perTransaction: 25);

        var effects = await service.WaitForEffectsAsync(events, EffectTimeout);

        Assert.Equal(events.Count, effects.Count);
        Assert.All(effects.Values, count => Assert.Equal(1, count));
        // The dispatcher removes a batch from the outbox once the broker confirmed it, which may be after a consumer
        // already applied it: wait for that, bounded.
        await Eventually.Until(_ => service.PendingAsync(), n => n == 0, "the outbox emptied", EffectTimeout);
    }

    [Fact]
    public async Task Events_committed_while_the_broker_is_down_arrive_exactly_once_after_it_returns()
    {
        await using var service = await KitService.StartAsync(infrastructure, UniqueName());
        var before = await service.CommitEventsAsync(5);
        Assert.Equal(5, (await service.WaitForEffectsAsync(before, EffectTimeout)).Count);

        await infrastructure.StopBrokerAsync();
        List<KitEvent> during;
        try
        {
            during = await service.CommitEventsAsync(200, perTransaction: 20);
            await Task.Delay(TimeSpan.FromSeconds(2));
            // Nothing is lost while the broker is away: the events wait in the outbox.
            Assert.Equal(200, await service.PendingAsync());
        }
        finally
        {
            await infrastructure.StartBrokerAsync();
        }

        var effects = await service.WaitForEffectsAsync(during, EffectTimeout);
        Assert.Equal(200, effects.Count);
        Assert.All(effects.Values, count => Assert.Equal(1, count));
        await Eventually.Until(_ => service.PendingAsync(), n => n == 0, "the outbox emptied", EffectTimeout);
    }

    [Fact]
    public async Task Events_survive_a_restart_of_the_service_while_the_broker_is_down()
    {
        var name = UniqueName();
        List<KitEvent> pending;
        await using (var first = await KitService.StartAsync(infrastructure, name))
        {
            await infrastructure.StopBrokerAsync();
            try
            {
                pending = await first.CommitEventsAsync(50);
            }
            catch
            {
                await infrastructure.StartBrokerAsync();
                throw;
            }
        }
        await infrastructure.StartBrokerAsync();

        await using var second = await KitService.StartAsync(infrastructure, name);
        var effects = await second.WaitForEffectsAsync(pending, EffectTimeout);
        Assert.Equal(50, effects.Count);
        Assert.All(effects.Values, count => Assert.Equal(1, count));
    }

    [Fact]
    public async Task A_rolled_back_change_publishes_nothing()
    {
        await using var service = await KitService.StartAsync(infrastructure, UniqueName());
        var rolledBack = new KitEvent(Guid.NewGuid(), -1);
        await using (var scope = service.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KitDb>();
            await using var tx = await db.Database.BeginTransactionAsync();
            db.Publish(rolledBack);
            await db.SaveChangesAsync();
            await tx.RollbackAsync();
        }
        var marker = await service.CommitEventsAsync(1);
        Assert.Single(await service.WaitForEffectsAsync(marker, EffectTimeout));

        Assert.Equal(0, await service.QueryAsync(db => db.Effects.CountAsync(e => e.EventId == rolledBack.Id)));
    }

    [Fact]
    public async Task A_redelivered_message_has_no_second_effect()
    {
        await using var service = await KitService.StartAsync(infrastructure, UniqueName());
        var bus = service.Services.GetRequiredService<IBus>();
        var evt = new KitEvent(Guid.NewGuid(), 7);
        var messageId = Guid.NewGuid();

        // The same message (same id) delivered 20 times, many of them concurrently.
        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => bus.Publish(evt, ctx => ctx.MessageId = messageId)));
        await Task.Delay(TimeSpan.FromSeconds(1));
        var marker = await service.CommitEventsAsync(1);
        await service.WaitForEffectsAsync(marker, EffectTimeout);
        var effects = await service.WaitForEffectsAsync([evt], EffectTimeout);

        Assert.Equal(1, effects[evt.Id]);
        Assert.Equal(1, await service.QueryAsync(db => db.Set<InboxMessage>().CountAsync(m => m.MessageId == messageId)));
    }

    [Fact]
    public async Task With_one_event_in_flight_the_broker_receives_events_in_the_order_they_were_committed()
    {
        await using var service = await KitService.StartAsync(infrastructure, UniqueName(), batchSize: 1);
        var factory = new ConnectionFactory { Uri = new Uri(infrastructure.RabbitMqConnectionString) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        // MassTransit publishes each message type to a fanout exchange named "<namespace>:<type>".
        var exchange = $"{typeof(KitEvent).Namespace}:{nameof(KitEvent)}";
        await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true, autoDelete: false);
        var queue = (await channel.QueueDeclareAsync(exclusive: true)).QueueName;
        await channel.QueueBindAsync(queue, exchange, "");

        var events = await service.CommitEventsAsync(200, perTransaction: 8);

        var received = new List<int>();
        var deadline = DateTime.UtcNow + EffectTimeout;
        while (received.Count < events.Count && DateTime.UtcNow < deadline)
        {
            var message = await channel.BasicGetAsync(queue, autoAck: true);
            if (message is null)
            {
                await Task.Delay(50);
                continue;
            }
            using var envelope = JsonDocument.Parse(message.Body);
            received.Add(envelope.RootElement.GetProperty("message").GetProperty("sequence").GetInt32());
        }
        Assert.Equal(events.Select(e => e.Sequence), received);
    }

    [Fact]
    public async Task The_consumer_continues_the_trace_of_the_request_that_committed_the_event()
    {
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is "MassTransit" or MessagingTelemetry.ActivitySourceName or "kit-test",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        using var source = new ActivitySource("kit-test");
        await using var service = await KitService.StartAsync(infrastructure, UniqueName());

        List<KitEvent> events;
        string traceId;
        using (var request = source.StartActivity("POST /things"))
        {
            traceId = request!.TraceId.ToString();
            events = await service.CommitEventsAsync(1);
        }

        await service.WaitForEffectsAsync(events, EffectTimeout);
        var recorded = await service.QueryAsync(db => db.Effects.Where(e => e.EventId == events[0].Id).Select(e => e.TraceId).SingleAsync());
        Assert.Equal(traceId, recorded);
    }
}

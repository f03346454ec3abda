using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Platform.ServiceDefaults.Messaging;
using Platform.TestSupport;
using RabbitMQ.Client;

namespace Platform.ServiceDefaults.Tests.Kit;

/// <summary>
/// The inbox applies messages that wait for each other in one transaction. These tests make a batch form for sure:
/// the service has one batch at a time, a held message keeps it busy while the batch's messages queue up behind it.
/// </summary>
[Collection(InfrastructureCollection.Name)]
public sealed class InboxBatchTests(LocalInfrastructure infrastructure)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private static string UniqueName() => $"kit{Guid.NewGuid():N}"[..14];

    [Fact]
    public async Task Copies_of_a_message_inside_one_batch_take_effect_once_and_the_batch_commits_together()
    {
        await using var service = await KitService.StartAsync(infrastructure, UniqueName(), inboxConcurrentBatches: 1);
        var messages = NewMessages(30);

        // Every message twice, under the same message id (as a broker redelivery or an outbox retry would send it).
        await DeliverAsBatchAsync(service, [.. messages, .. messages]);

        var effects = await service.WaitForEffectsAsync([.. messages.Select(m => m.Event)], Timeout);
        Assert.Equal(30, effects.Count);
        Assert.All(effects.Values, count => Assert.Equal(1, count));
        var claims = await InboxClaimsAsync(service, messages);
        Assert.Equal(30, claims.Count);
        // One claim statement for all 30: they were applied in one transaction, not one by one.
        Assert.Single(claims.Select(c => c.ProcessedAt).Distinct());
    }

    [Fact]
    public async Task A_redelivered_batch_has_no_second_effect_and_new_messages_beside_it_take_effect_once()
    {
        await using var service = await KitService.StartAsync(infrastructure, UniqueName(), inboxConcurrentBatches: 1);
        var first = NewMessages(20);
        await DeliverAsBatchAsync(service, first);
        Assert.Equal(20, (await service.WaitForEffectsAsync([.. first.Select(m => m.Event)], Timeout)).Count);

        // The whole batch again (its acknowledgements were lost, say), mixed with messages not seen before.
        var fresh = NewMessages(10);
        await DeliverAsBatchAsync(service, [.. first, .. fresh]);

        var all = first.Concat(fresh).ToList();
        var effects = await service.WaitForEffectsAsync([.. all.Select(m => m.Event)], Timeout);
        Assert.Equal(30, effects.Count);
        Assert.All(effects.Values, count => Assert.Equal(1, count));
        Assert.Equal(30, (await InboxClaimsAsync(service, all)).Count);
    }

    [Fact]
    public async Task One_poison_message_in_a_batch_goes_to_the_error_queue_alone_and_the_others_take_effect_once()
    {
        var name = UniqueName();
        await using var service = await KitService.StartAsync(infrastructure, name, inboxConcurrentBatches: 1);
        var good = NewMessages(20);
        var poison = NewMessages(1)[0];
        KitConsumer.Poison[poison.Event.Id] = true;
        try
        {
            await DeliverAsBatchAsync(service, [.. good[..10], poison, .. good[10..]]);

            var effects = await service.WaitForEffectsAsync([.. good.Select(m => m.Event)], Timeout);
            Assert.Equal(20, effects.Count);
            Assert.All(effects.Values, count => Assert.Equal(1, count));

            // After its retries, the poison message (and only it) is in the consumer's error queue, with no effect.
            var errorQueue = new KebabCaseEndpointNameFormatter(name, includeNamespace: false).Consumer<KitConsumer>() + "_error";
            var inError = await Eventually.Until(_ => MessagesInQueueAsync(errorQueue), count => count >= 1, "the poison message in " + errorQueue, Timeout);
            Assert.Equal(1u, inError);
            Assert.Equal(0, await service.QueryAsync(db => db.Effects.CountAsync(e => e.EventId == poison.Event.Id)));
            Assert.Empty(await InboxClaimsAsync(service, [poison]));
            Assert.Equal(20, (await InboxClaimsAsync(service, good)).Count);
        }
        finally
        {
            KitConsumer.Poison.TryRemove(poison.Event.Id, out _);
        }
    }

    [Fact]
    public async Task Messages_waiting_for_a_batch_when_the_broker_connection_drops_take_effect_once_after_it_is_back_and_later_ones_too()
    {
        // Seen in the platform's fault test: a broker restart left a consumer holding its prefetched messages for good.
        var name = UniqueName();
        await using var service = await KitService.StartAsync(infrastructure, name, inboxConcurrentBatches: 1);
        var bus = service.Services.GetRequiredService<IBus>();
        var lane = service.Services.GetRequiredService<InboxLanes>().For<KitEvent>(typeof(KitConsumer));
        var holder = new KitEvent(Guid.NewGuid(), -1);
        var hold = new KitHold();
        KitConsumer.Holds[holder.Id] = hold;
        var waiting = NewMessages(20);
        try
        {
            await bus.Publish(holder);
            await hold.Entered.Task.WaitAsync(Timeout);
            await Task.WhenAll(waiting.Select(m => bus.Publish(m.Event, ctx => ctx.MessageId = m.MessageId)));
            await Eventually.Until(_ => Task.FromResult(lane.Waiting), n => n == waiting.Count, "messages queued behind the held one", Timeout);

            // The broker closes the service's connection: every delivery in hand (the held one, the queued ones) is lost
            // to the service and goes back to the queue.
            await CloseConnectionsAsync(name);
        }
        finally
        {
            hold.Released.TrySetResult();
            KitConsumer.Holds.TryRemove(holder.Id, out _);
        }
        var later = NewMessages(10);
        await Task.WhenAll(later.Select(m => bus.Publish(m.Event, ctx => ctx.MessageId = m.MessageId)));

        var all = waiting.Concat(later).ToList();
        var effects = await service.WaitForEffectsAsync([holder, .. all.Select(m => m.Event)], Timeout);
        Assert.Equal(all.Count + 1, effects.Count);
        Assert.All(effects.Values, count => Assert.Equal(1, count));
        Assert.Equal(all.Count, (await InboxClaimsAsync(service, all)).Count);
    }

    private sealed record Message(KitEvent Event, Guid MessageId);

    private static List<Message> NewMessages(int count) =>
        [.. Enumerable.Range(0, count).Select(i => new Message(new KitEvent(Guid.NewGuid(), i), Guid.NewGuid()))];

    /// <summary>
    /// Keeps the only batch slot busy with a held message, delivers the messages so that they all queue behind it,
    /// then lets go: the queued messages form the next batch.
    /// </summary>
    private static async Task DeliverAsBatchAsync(KitService service, IReadOnlyList<Message> messages)
    {
        var bus = service.Services.GetRequiredService<IBus>();
        var lane = service.Services.GetRequiredService<InboxLanes>().For<KitEvent>(typeof(KitConsumer));
        var holder = new KitEvent(Guid.NewGuid(), -1);
        var hold = new KitHold();
        KitConsumer.Holds[holder.Id] = hold;
        try
        {
            await bus.Publish(holder);
            await hold.Entered.Task.WaitAsync(Timeout);
            await Task.WhenAll(messages.Select(m => bus.Publish(m.Event, ctx => ctx.MessageId = m.MessageId)));
            await Eventually.Until(_ => Task.FromResult(lane.Waiting), waiting => waiting == messages.Count, "messages queued behind the held one", Timeout);
        }
        finally
        {
            hold.Released.TrySetResult();
            KitConsumer.Holds.TryRemove(holder.Id, out _);
        }
        await service.WaitForEffectsAsync([holder], Timeout);
    }

    private static Task<List<InboxMessage>> InboxClaimsAsync(KitService service, IEnumerable<Message> messages)
    {
        var ids = messages.Select(m => m.MessageId).ToList();
        return service.QueryAsync(db => db.Set<InboxMessage>().Where(m => ids.Contains(m.MessageId)).ToListAsync());
    }

    /// <summary>Closes the service's broker connections from the broker's side (as a restart or a network cut would).</summary>
    private async Task CloseConnectionsAsync(string service)
    {
        using var management = infrastructure.RabbitMqManagementClient();
        // The management API lists a connection a moment after it opens.
        var names = await Eventually.Until(async c =>
        {
            var connections = await management.GetFromJsonAsync<JsonElement>(new Uri("/api/connections?columns=name,user_provided_name", UriKind.Relative), c);
            return connections.EnumerateArray()
                .Where(x => x.TryGetProperty("user_provided_name", out var n) && n.GetString() == service)
                .Select(x => x.GetProperty("name").GetString()!).ToList();
        }, found => found.Count > 0, $"{service}'s broker connection listed", Timeout);
        foreach (var connection in names)
        {
            using var closed = await management.DeleteAsync(new Uri($"/api/connections/{Uri.EscapeDataString(connection)}", UriKind.Relative));
            closed.EnsureSuccessStatusCode();
        }
    }

    private async Task<uint> MessagesInQueueAsync(string queue)
    {
        var factory = new ConnectionFactory { Uri = new Uri(infrastructure.RabbitMqConnectionString) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        try
        {
            return (await channel.QueueDeclarePassiveAsync(queue)).MessageCount;
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            return 0; // not created yet: nothing has failed so far
        }
    }
}

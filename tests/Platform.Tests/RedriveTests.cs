using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Aspire.Hosting.ApplicationModel;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Platform.AppHost.Operations;
using RabbitMQ.Client;

namespace Platform.Tests.Redrive;

/// <summary>A message only a fixed consumer can handle.</summary>
public sealed record RedriveProbe(Guid Id);

/// <summary>
/// The dashboard's "Re-drive failed messages" on a service: a message its consumer failed on (MassTransit moved it to
/// the _error queue) goes back to the queue once the cause is fixed, and is consumed.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class RedriveTests(PlatformFixture platform)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    // Named like the volunteers service's queues ("volunteers-..."): the command re-drives the service's error queues.
    private const string Queue = "volunteers-redrive-probe";

    [Fact]
    public async Task A_poisoned_message_is_consumed_after_the_fix_when_its_error_queue_is_redriven()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var connectionString = await platform.App.GetConnectionStringAsync("rabbitmq", timeout.Token);
        var consumer = new RedriveProbeConsumer();
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(new Uri(connectionString!));
            cfg.ReceiveEndpoint(Queue, e => e.Consumer(() => consumer));
        });
        await bus.StartAsync(timeout.Token);
        try
        {
            var id = Guid.NewGuid();
            var endpoint = await bus.GetSendEndpoint(new Uri($"queue:{Queue}"));
            await endpoint.Send(new RedriveProbe(id), timeout.Token);
            // The consumer's bug: it fails, and MassTransit moves the message to the error queue.
            await WaitUntil(async () => await MessagesInAsync(connectionString!, Queue + "_error") == 1, "the message in the error queue");
            Assert.Empty(consumer.Consumed);

            consumer.Fixed = true;
            var commands = platform.App.Services.GetRequiredService<ResourceCommandService>();
            var result = await commands.ExecuteCommandAsync("volunteers", OperatorCommands.RedriveErrorQueues, timeout.Token);

            Assert.True(result.Success, result.Message);
            Assert.Contains($"1 to {Queue}", result.Message, StringComparison.Ordinal);
            await WaitUntil(() => Task.FromResult(consumer.Consumed.Contains(id)), "the re-driven message consumed");
            Assert.Equal(0u, await MessagesInAsync(connectionString!, Queue + "_error"));

            var nothingLeft = await commands.ExecuteCommandAsync("volunteers", OperatorCommands.RedriveErrorQueues, timeout.Token);
            Assert.True(nothingLeft.Success, nothingLeft.Message);
            Assert.StartsWith("No failed messages", nothingLeft.Message, StringComparison.Ordinal);
        }
        finally
        {
            await bus.StopAsync(CancellationToken.None);
            await DeleteQueuesAsync(connectionString!, Queue, Queue + "_error", Queue + "_skipped");
        }
    }

    private static async Task<uint> MessagesInAsync(string connectionString, string queue)
    {
        await using var connection = await new ConnectionFactory { Uri = new Uri(connectionString) }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        try
        {
            return (await channel.QueueDeclarePassiveAsync(queue)).MessageCount;
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            return 0; // not there yet
        }
    }

    private static async Task DeleteQueuesAsync(string connectionString, params string[] queues)
    {
        await using var connection = await new ConnectionFactory { Uri = new Uri(connectionString) }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        foreach (var queue in queues)
        {
            await channel.QueueDeleteAsync(queue);
        }
    }

    private static async Task WaitUntil(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for {what}.");
            await Task.Delay(100);
        }
    }
}

/// <summary>A consumer with a bug until the test fixes it: it fails on every probe until <see cref="Fixed"/>.</summary>
internal sealed class RedriveProbeConsumer : IConsumer<RedriveProbe>
{
    public volatile bool Fixed;
    public System.Collections.Concurrent.ConcurrentBag<Guid> Consumed { get; } = [];

    public Task Consume(ConsumeContext<RedriveProbe> context)
    {
        if (!Fixed)
        {
            throw new InvalidOperationException("The consumer's bug (fixed later in the test).");
        }
        Consumed.Add(context.Message.Id);
        return Task.CompletedTask;
    }
}

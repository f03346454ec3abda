using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using RabbitMQ.Client;

namespace Platform.AppHost.Operations;

/// <summary>What one re-drive did: messages moved from an error queue back to the queue its consumer reads.</summary>
public sealed record QueueRedrive(string ErrorQueue, string Queue, int Moved);

/// <summary>
/// Moves messages a consumer gave up on (MassTransit puts them in <c>&lt;queue&gt;_error</c>) back to their queue,
/// once the cause is fixed, so they are consumed again. Error queues are found with the RabbitMQ management HTTP API;
/// messages are moved over AMQP one by one: published to the queue (with publisher confirms) before being removed from
/// the error queue, so a failure part-way loses nothing (at worst a message is in both, and consumers are idempotent).
/// The fault headers MassTransit added are dropped. At most the number of messages present at the start is moved, so a
/// message that fails again (and comes back to the error queue) is not moved round in a loop.
/// </summary>
public sealed class ErrorQueueRedrive(Uri amqpAddress, Uri managementAddress, HttpClient? http = null)
{
    public const string ErrorSuffix = "_error";
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(15);

    /// <summary>Re-drives every error queue whose queue name starts with <paramref name="queuePrefix"/> (e.g. "volunteers-").</summary>
    public async Task<IReadOnlyList<QueueRedrive>> RedriveAsync(string queuePrefix, CancellationToken ct)
    {
        var results = new List<QueueRedrive>();
        foreach (var errorQueue in await ErrorQueuesAsync(queuePrefix, ct))
        {
            results.Add(await MoveAsync(errorQueue, ct));
        }
        return results;
    }

    /// <summary>The error queues of the queues that start with the prefix (by the management API's queue list).</summary>
    public async Task<IReadOnlyList<string>> ErrorQueuesAsync(string queuePrefix, CancellationToken ct)
    {
        var client = http ?? SharedHttp;
        var vhost = Uri.EscapeDataString(VirtualHost);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(managementAddress, $"/api/queues/{vhost}?columns=name"));
        var (user, password) = Credentials();
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(CallTimeout);
        using var response = await client.SendAsync(request, timeout.Token);
        response.EnsureSuccessStatusCode();
        var queues = await response.Content.ReadFromJsonAsync<List<QueueName>>(timeout.Token) ?? [];
        return [.. queues.Select(q => q.Name)
            .Where(n => n.StartsWith(queuePrefix, StringComparison.Ordinal) && n.EndsWith(ErrorSuffix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)];
    }

    /// <summary>Moves the messages now in <paramref name="errorQueue"/> back to its queue (the name without "_error").</summary>
    public async Task<QueueRedrive> MoveAsync(string errorQueue, CancellationToken ct)
    {
        if (!errorQueue.EndsWith(ErrorSuffix, StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{errorQueue}' is not an error queue (no {ErrorSuffix} suffix).", nameof(errorQueue));
        }
        var queue = errorQueue[..^ErrorSuffix.Length];
        var factory = new ConnectionFactory { Uri = amqpAddress, ClientProvidedName = "platform-apphost-redrive", RequestedConnectionTimeout = CallTimeout };
        await using var connection = await factory.CreateConnectionAsync(ct);
        await using var channel = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), ct);
        // Both must exist: a message is never published to a queue that is gone (it would be dropped).
        await channel.QueueDeclarePassiveAsync(queue, ct);
        var present = (await channel.QueueDeclarePassiveAsync(errorQueue, ct)).MessageCount;
        var moved = 0;
        while (moved < present)
        {
            var message = await channel.BasicGetAsync(errorQueue, autoAck: false, ct);
            if (message is null)
            {
                break;
            }
            var properties = new BasicProperties(message.BasicProperties);
            if (properties.Headers is { } headers)
            {
                foreach (var fault in headers.Keys.Where(k => k.StartsWith("MT-Fault", StringComparison.Ordinal) || k == "MT-Reason").ToList())
                {
                    headers.Remove(fault);
                }
            }
            // Awaits the broker's confirm (tracking on): throws if the broker refused or could not route it.
            await channel.BasicPublishAsync(exchange: "", routingKey: queue, mandatory: true, basicProperties: properties, body: message.Body, cancellationToken: ct);
            await channel.BasicAckAsync(message.DeliveryTag, multiple: false, ct);
            moved++;
        }
        return new QueueRedrive(errorQueue, queue, moved);
    }

    private string VirtualHost => amqpAddress.AbsolutePath is "" or "/" ? "/" : Uri.UnescapeDataString(amqpAddress.AbsolutePath[1..]);

    private (string User, string Password) Credentials()
    {
        var parts = amqpAddress.UserInfo.Split(':', 2);
        return (Uri.UnescapeDataString(parts[0]), parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : "");
    }

    private static readonly HttpClient SharedHttp = new();

    private sealed record QueueName(string Name);
}

using System.Text.Json;
using RabbitMQ.Client;

namespace Platform.TestSupport;

/// <summary>
/// Listens to what a service publishes, as an outside subscriber would: an exclusive queue of its own bound to the
/// fanout exchange MassTransit publishes a message type to ("&lt;namespace&gt;:&lt;type name&gt;").
/// Bind before the action that publishes; a queue bound later misses the message.
/// </summary>
public sealed class ExchangeListener : IAsyncDisposable
{
    private readonly IConnection _connection;
    private readonly IChannel _channel;
    private readonly string _queue;

    private ExchangeListener(IConnection connection, IChannel channel, string queue)
    {
        _connection = connection;
        _channel = channel;
        _queue = queue;
    }

    /// <summary>The exchange MassTransit publishes <typeparamref name="T"/> to.</summary>
    public static string ExchangeOf<T>() => $"{typeof(T).Namespace}:{typeof(T).Name}";

    public static Task<ExchangeListener> ForAsync<T>(LocalInfrastructure infrastructure) => BindAsync(infrastructure, ExchangeOf<T>());

    /// <summary>One queue bound to every exchange given: messages of several types arrive in the order the broker routed them.</summary>
    public static async Task<ExchangeListener> BindAsync(LocalInfrastructure infrastructure, params string[] exchanges)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var factory = new ConnectionFactory
        {
            Uri = new Uri(infrastructure.RabbitMqConnectionString),
            RequestedConnectionTimeout = TimeSpan.FromSeconds(10),
        };
        var connection = await factory.CreateConnectionAsync("test-listener", timeout.Token);
        try
        {
            var channel = await connection.CreateChannelAsync(cancellationToken: timeout.Token);
            var queue = (await channel.QueueDeclareAsync(queue: "", durable: false, exclusive: true, autoDelete: true, cancellationToken: timeout.Token)).QueueName;
            foreach (var exchange in exchanges)
            {
                // Declared exactly as MassTransit declares it, so that both declarations agree.
                await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: timeout.Token);
                await channel.QueueBindAsync(queue, exchange, routingKey: "", cancellationToken: timeout.Token);
            }
            return new ExchangeListener(connection, channel, queue);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// The next message that matches <paramref name="match"/> (others are skipped), as its parsed MassTransit
    /// envelope; throws a <see cref="TimeoutException"/> if none arrives within <paramref name="timeout"/>.
    /// </summary>
    public async Task<JsonElement> NextAsync(Func<JsonElement, bool>? match = null, TimeSpan? timeout = null)
    {
        var limit = timeout ?? Eventually.DefaultTimeout;
        using var deadline = new CancellationTokenSource(limit);
        var skipped = 0;
        while (!deadline.IsCancellationRequested)
        {
            BasicGetResult? message;
            try
            {
                message = await _channel.BasicGetAsync(_queue, autoAck: true, deadline.Token);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                break;
            }
            if (message is null)
            {
                try { await Task.Delay(50, deadline.Token); } catch (OperationCanceledException) { break; }
                continue;
            }
            using var envelope = JsonDocument.Parse(message.Body);
            var root = envelope.RootElement.Clone();
            if (match is null || match(root))
            {
                return root;
            }
            skipped++;
        }
        throw new TimeoutException($"No matching message on {_queue} within {limit.TotalSeconds} s ({skipped} others skipped).");
    }

    public async ValueTask DisposeAsync()
    {
        await _channel.DisposeAsync();
        await _connection.DisposeAsync();
    }
}

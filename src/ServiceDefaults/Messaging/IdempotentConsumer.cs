using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Platform.ServiceDefaults.Messaging;

/// <summary>
/// Base of every consumer: the consumer's effect and an inbox row keyed by (message id, consumer) are saved in one
/// transaction, so a redelivered message (broker redelivery, outbox retry) has no second effect.
/// Subclasses change the context in <see cref="HandleAsync"/>; they do not call SaveChanges themselves.
/// </summary>
public abstract partial class IdempotentConsumer<TMessage, TDb>(TDb db, MessagingTelemetry telemetry, ILogger logger) : IConsumer<TMessage>
    where TMessage : class
    where TDb : DbContext
{
    protected TDb Db => db;

    /// <summary>Stable name of this consumer in the inbox; renaming the class must not replay old messages.</summary>
    protected virtual string ConsumerName => GetType().Name.Split('`')[0];

    public async Task Consume(ConsumeContext<TMessage> context)
    {
        var messageId = context.MessageId
                        ?? throw new InvalidOperationException($"{typeof(TMessage).Name} arrived without a message id.");
        var consumer = ConsumerName;
        var ct = context.CancellationToken;

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // Claim the message first. A concurrent delivery of the same message waits here on the row lock and then
        // finds the claim taken, so it has no effect and no error.
        var claimed = await db.Database.ExecuteSqlAsync(
            $"INSERT INTO inbox_messages (\"MessageId\", \"Consumer\", \"ProcessedAt\") VALUES ({messageId}, {consumer}, {DateTimeOffset.UtcNow}) ON CONFLICT DO NOTHING",
            ct);
        if (claimed == 0)
        {
            await tx.RollbackAsync(CancellationToken.None);
            SkipDuplicate(messageId, consumer);
            return;
        }
        await HandleAsync(context.Message, context, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>Applies the message to the service's data (tracked changes only; saved with the inbox row).</summary>
    protected abstract Task HandleAsync(TMessage message, ConsumeContext<TMessage> context, CancellationToken cancellationToken);

    private void SkipDuplicate(Guid messageId, string consumer)
    {
        telemetry.Duplicates.Add(1, new KeyValuePair<string, object?>("consumer", consumer));
        LogDuplicate(logger, typeof(TMessage).Name, messageId, consumer);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{MessageType} {MessageId} was already handled by {Consumer}; skipped")]
    private static partial void LogDuplicate(ILogger logger, string messageType, Guid messageId, string consumer);
}

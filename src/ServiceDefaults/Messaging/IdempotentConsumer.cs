using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;

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

        if (await db.Set<InboxMessage>().AnyAsync(m => m.MessageId == messageId && m.Consumer == consumer, ct))
        {
            SkipDuplicate(messageId, consumer);
            return;
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.Set<InboxMessage>().Add(new InboxMessage { MessageId = messageId, Consumer = consumer, ProcessedAt = DateTimeOffset.UtcNow });
        await HandleAsync(context.Message, context, ct);
        try
        {
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateException ex) when (IsInboxConflict(ex))
        {
            // The same message was handled concurrently by another delivery; that one took effect.
            await tx.RollbackAsync(CancellationToken.None);
            SkipDuplicate(messageId, consumer);
        }
    }

    /// <summary>Applies the message to the service's data (tracked changes only; saved with the inbox row).</summary>
    protected abstract Task HandleAsync(TMessage message, ConsumeContext<TMessage> context, CancellationToken cancellationToken);

    private void SkipDuplicate(Guid messageId, string consumer)
    {
        telemetry.Duplicates.Add(1, new KeyValuePair<string, object?>("consumer", consumer));
        LogDuplicate(logger, typeof(TMessage).Name, messageId, consumer);
    }

    private static bool IsInboxConflict(DbUpdateException ex) =>
        ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } pg
        && pg.TableName == MessagingModel.InboxTable;

    [LoggerMessage(Level = LogLevel.Information, Message = "{MessageType} {MessageId} was already handled by {Consumer}; skipped")]
    private static partial void LogDuplicate(ILogger logger, string messageType, Guid messageId, string consumer);
}

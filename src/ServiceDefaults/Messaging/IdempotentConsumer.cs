using System.Diagnostics;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace Platform.ServiceDefaults.Messaging;

/// <summary>
/// Base of every consumer: the consumer's effect and an inbox row keyed by (message id, consumer) are saved in one
/// transaction, so a redelivered message (broker redelivery, outbox retry) has no second effect.
/// Subclasses change the context in <see cref="HandleAsync"/>; they do not call SaveChanges themselves.
/// </summary>
/// <remarks>
/// Messages that arrive together share a transaction (see <see cref="InboxLane{TMessage}"/>): one statement claims all
/// their ids in the inbox, <see cref="HandleAsync"/> runs for each claimed message in arrival order on the same context,
/// and one SaveChanges and one commit end the batch. <see cref="Db"/> is then the context of the consumer instance that
/// leads the batch, and <c>Activity.Current</c> is the message's own consume activity. A handler therefore sees the
/// changes of earlier messages of its batch as tracked entities (<c>FindAsync</c> and tracked query results include
/// them), not yet in the database: a query for a row an earlier message added does not find it. Two messages adding
/// the same key fail the batch's SaveChanges, and the batch is then applied one message per transaction. If anything in a batch fails, the batch is rolled
/// back and its messages are applied again one per transaction, so only the failing message fails (and goes through
/// the usual retries, alone, and then to the <c>_error</c> queue); the others are applied exactly once.
/// </remarks>
public abstract partial class IdempotentConsumer<TMessage, TDb>(TDb db, MessagingTelemetry telemetry, ILogger logger) : IConsumer<TMessage>
    where TMessage : class
    where TDb : DbContext
{
    // Sorted ids: two batches claiming overlapping ids lock them in the same order and do not deadlock.
    private const string ClaimSql =
        "INSERT INTO inbox_messages (\"MessageId\", \"Consumer\", \"ProcessedAt\") " +
        "SELECT id, $2, $3 FROM unnest($1::uuid[]) AS id ORDER BY id ON CONFLICT DO NOTHING RETURNING \"MessageId\"";

    protected TDb Db => db;

    /// <summary>Stable name of this consumer in the inbox; renaming the class must not replay old messages.</summary>
    protected virtual string ConsumerName => GetType().Name.Split('`')[0];

    public async Task Consume(ConsumeContext<TMessage> context)
    {
        var messageId = context.MessageId
                        ?? throw new InvalidOperationException($"{typeof(TMessage).Name} arrived without a message id.");
        var pending = new PendingMessage<TMessage>(context, messageId, Activity.Current);
        if (context.GetRetryAttempt() > 0)
        {
            // A retry follows a failure of this very message: it goes alone, so it cannot fail a batch again.
            await ApplyAloneAsync(pending);
            await pending.Outcome.Task;
            return;
        }
        var lane = context.GetServiceOrCreateInstance<InboxLanes>().For<TMessage>(GetType());
        await lane.SubmitAsync(pending, ApplyBatchAsync);
    }

    /// <summary>Applies the message to the service's data (tracked changes only; saved with the inbox row).</summary>
    protected abstract Task HandleAsync(TMessage message, ConsumeContext<TMessage> context, CancellationToken cancellationToken);

    /// <summary>
    /// Runs once per transaction, before <see cref="HandleAsync"/>, with the messages it is about to apply. The place
    /// for locks on what the messages touch, taken in one fixed order (e.g. sorted ids): locks taken message by
    /// message follow arrival order, which differs between the batches of two consumers, and deadlock.
    /// </summary>
    protected virtual Task BeforeHandlingAsync(IReadOnlyList<TMessage> messages, CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task ApplyBatchAsync(List<PendingMessage<TMessage>> batch)
    {
        if (batch.Count == 1)
        {
            await ApplyAloneAsync(batch[0]);
            return;
        }
        bool[] applied;
        try
        {
            applied = await ApplyTogetherAsync(batch);
        }
        catch (Exception ex)
        {
            LogBatchFailed(logger, batch.Count, typeof(TMessage).Name, ex.GetType().Name, ex.Message);
            foreach (var message in batch)
            {
                await ApplyAloneAsync(message);
            }
            return;
        }
        var appliedCount = 0;
        for (var i = 0; i < batch.Count; i++)
        {
            if (applied[i])
            {
                appliedCount++;
            }
            else
            {
                SkipDuplicate(batch[i].MessageId);
            }
            batch[i].Outcome.TrySetResult(applied[i]);
        }
        CountApplied(appliedCount);
    }

    /// <summary>One transaction for the whole batch; throws (after rolling back) if any part fails.</summary>
    private async Task<bool[]> ApplyTogetherAsync(List<PendingMessage<TMessage>> batch)
    {
        var ct = batch[0].Cancellation;
        var ids = new Guid[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            ids[i] = batch[i].MessageId;
        }
        Array.Sort(ids);
        var applied = new bool[batch.Count];
        PrepareContext();
        try
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var claimed = await ClaimAsync(tx, ids, ct);
            for (var i = 0; i < batch.Count; i++)
            {
                // Remove: a second copy of the same message inside the batch is a duplicate too.
                applied[i] = claimed.Remove(batch[i].MessageId);
            }
            var toApply = batch.Where((_, i) => applied[i]).ToList();
            if (toApply.Count > 0)
            {
                await BeforeHandlingAsync([.. toApply.Select(m => m.Context.Message)], ct);
            }
            foreach (var message in toApply)
            {
                await HandleInItsTraceAsync(message);
            }
            // One SaveChanges for the batch: EF sends all its statements in one round trip. Measured: saving after
            // each message instead costs about a quarter more CPU per event.
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
        return applied;
    }

    /// <summary>One message in its own transaction; settles its outcome, never throws.</summary>
    private async Task ApplyAloneAsync(PendingMessage<TMessage> message)
    {
        var ct = message.Cancellation;
        PrepareContext();
        try
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var claimed = await ClaimAsync(tx, [message.MessageId], ct);
            if (claimed.Count == 0)
            {
                await tx.RollbackAsync(CancellationToken.None);
                SkipDuplicate(message.MessageId);
                message.Outcome.TrySetResult(false);
                return;
            }
            await BeforeHandlingAsync([message.Context.Message], ct);
            await HandleInItsTraceAsync(message);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            CountApplied(1);
            message.Outcome.TrySetResult(true);
        }
        catch (Exception ex)
        {
            message.Outcome.TrySetException(ex);
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    private void PrepareContext()
    {
        // The kit owns the transaction: EF's automatic savepoint around each SaveChanges would only add round trips.
        db.Database.AutoSavepointsEnabled = false;
        db.ChangeTracker.Clear();
    }

    private async Task HandleInItsTraceAsync(PendingMessage<TMessage> message)
    {
        var outer = Activity.Current;
        Activity.Current = message.Activity ?? outer;
        try
        {
            await HandleAsync(message.Context.Message, message.Context, message.Cancellation);
        }
        finally
        {
            Activity.Current = outer;
        }
    }

    private async Task<HashSet<Guid>> ClaimAsync(IDbContextTransaction tx, Guid[] ids, CancellationToken ct)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using var command = new NpgsqlCommand(ClaimSql, connection, (NpgsqlTransaction)tx.GetDbTransaction());
        command.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = ids, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = ConsumerName });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = DateTimeOffset.UtcNow, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        var claimed = new HashSet<Guid>(ids.Length);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            claimed.Add(reader.GetGuid(0));
        }
        return claimed;
    }

    private void CountApplied(int count)
    {
        if (count > 0)
        {
            telemetry.Applied.Add(count, new KeyValuePair<string, object?>("consumer", ConsumerName));
        }
    }

    private void SkipDuplicate(Guid messageId)
    {
        var consumer = ConsumerName;
        telemetry.Duplicates.Add(1, new KeyValuePair<string, object?>("consumer", consumer));
        LogDuplicate(logger, typeof(TMessage).Name, messageId, consumer);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{MessageType} {MessageId} was already handled by {Consumer}; skipped")]
    private static partial void LogDuplicate(ILogger logger, string messageType, Guid messageId, string consumer);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A batch of {Count} {MessageType} messages failed ({ErrorType}: {Reason}); applying them one by one")]
    private static partial void LogBatchFailed(ILogger logger, int count, string messageType, string errorType, string reason);
}

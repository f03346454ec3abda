using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Platform.ServiceDefaults.Messaging;

/// <summary>Wakes the dispatcher as soon as an outbox row is committed, so events leave in milliseconds, not at the next poll.</summary>
public sealed class OutboxSignal : IDisposable
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Notify()
    {
        if (_signal.CurrentCount == 0)
        {
            try { _signal.Release(); } catch (SemaphoreFullException) { /* already signalled */ }
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);

    public void Dispose() => _signal.Dispose();
}

/// <summary>
/// Signals the dispatcher after a SaveChanges or a commit that wrote outbox rows. Only contexts that added rows through
/// <see cref="MessagingModel.Publish{TEvent}"/> signal: the dispatcher's own deletes must not wake it for an empty round,
/// and no change-tracker scan runs on every save. Rows added any other way are found by the dispatcher's poll.
/// </summary>
internal sealed class OutboxSignalInterceptor(OutboxSignal signal) : SaveChangesInterceptor, IDbTransactionInterceptor
{
    private static readonly ConditionalWeakTable<DbContext, object> Published = new();
    private static readonly object Mark = new();

    internal static void MarkPublished(DbContext context) => Published.AddOrUpdate(context, Mark);

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        NotifyIfOutboxWritten(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        NotifyIfOutboxWritten(eventData.Context);
        return result;
    }

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        TransactionCommitted(transaction, eventData);
        return Task.CompletedTask;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData)
    {
        // Rows saved inside an explicit transaction become visible only now.
        if (eventData.Context is { } context && Published.Remove(context))
        {
            signal.Notify();
        }
    }

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        TransactionRolledBack(transaction, eventData);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData)
    {
        if (eventData.Context is { } context)
        {
            Published.Remove(context);
        }
    }

    private void NotifyIfOutboxWritten(DbContext? context)
    {
        // Inside an explicit transaction the rows are not visible yet; the commit hook signals then.
        if (context is not null && context.Database.CurrentTransaction is null && Published.Remove(context))
        {
            signal.Notify();
        }
    }
}

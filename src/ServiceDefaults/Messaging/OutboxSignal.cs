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

/// <summary>Signals the dispatcher after a SaveChanges or a commit that wrote outbox rows.</summary>
internal sealed class OutboxSignalInterceptor(OutboxSignal signal) : SaveChangesInterceptor, IDbTransactionInterceptor
{
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

    public Task TransactionCommittedAsync(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        // Rows saved inside an explicit transaction become visible only now.
        if (HasOutboxRows(eventData.Context))
        {
            signal.Notify();
        }
        return Task.CompletedTask;
    }

    private void NotifyIfOutboxWritten(DbContext? context)
    {
        // Inside an explicit transaction the rows are not visible yet; the commit hook signals then.
        if (context?.Database.CurrentTransaction is null && HasOutboxRows(context))
        {
            signal.Notify();
        }
    }

    private static bool HasOutboxRows(DbContext? context) =>
        context is not null && context.ChangeTracker.Entries<OutboxMessage>().Any();
}

using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace Platform.ServiceDefaults.Data;

/// <summary>
/// Transactions a handler opens itself while a caller may already hold one: a POST with an <c>Idempotency-Key</c> runs
/// its handler inside the transaction that also stores the answer (<see cref="Http.Idempotency"/>), so the handler's
/// own "transaction" must then be a part of that one.
/// </summary>
public static class Transactions
{
    /// <summary>
    /// Begins a transaction, or, when the context already runs in one, a savepoint in it. Either way the handle behaves
    /// like a transaction to the code that holds it: <c>CommitAsync</c> keeps the work (for a savepoint: until the outer
    /// transaction commits), <c>RollbackAsync</c> or disposing without commit undoes only this work. Locks taken with
    /// <c>pg_advisory_xact_lock</c> are then held until the outer transaction ends.
    /// </summary>
    public static async Task<IDbContextTransaction> BeginOrJoinTransactionAsync(this DatabaseFacade database, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        if (database.CurrentTransaction is not { } outer)
        {
            return await database.BeginTransactionAsync(cancellationToken);
        }
        var savepoint = $"joined_{Guid.NewGuid():N}";
        await outer.CreateSavepointAsync(savepoint, cancellationToken);
        return new JoinedTransaction(outer, savepoint);
    }

    /// <summary>
    /// Runs <paramref name="action"/> once the context's work is durable: at once when no transaction is open, else
    /// after the transaction commits (never if it rolls back). For side effects outside the database, such as an
    /// in-memory index, that must not show what a rollback would take back.
    /// </summary>
    public static void AfterCommit(this DbContext db, Action action)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(action);
        if (db.Database.CurrentTransaction is null)
        {
            action();
            return;
        }
        AfterCommitInterceptor.Add(db, action);
    }

    /// <summary>A savepoint in the caller's transaction, presented as a transaction of its own.</summary>
    private sealed class JoinedTransaction(IDbContextTransaction outer, string savepoint) : IDbContextTransaction
    {
        private bool _completed;

        public Guid TransactionId => outer.TransactionId;

        public void Commit()
        {
            outer.ReleaseSavepoint(savepoint);
            _completed = true;
        }

        public async Task CommitAsync(CancellationToken cancellationToken = default)
        {
            await outer.ReleaseSavepointAsync(savepoint, cancellationToken);
            _completed = true;
        }

        public void Rollback()
        {
            _completed = true;
            outer.RollbackToSavepoint(savepoint);
        }

        public async Task RollbackAsync(CancellationToken cancellationToken = default)
        {
            _completed = true;
            await outer.RollbackToSavepointAsync(savepoint, cancellationToken);
        }

        public void Dispose()
        {
            if (!_completed)
            {
                Rollback();
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (!_completed)
            {
                await RollbackAsync(CancellationToken.None);
            }
        }
    }
}

/// <summary>Runs the actions registered with <see cref="Transactions.AfterCommit"/> when their transaction commits.</summary>
internal sealed class AfterCommitInterceptor : IDbTransactionInterceptor
{
    private static readonly ConditionalWeakTable<DbContext, List<Action>> Pending = new();

    internal static void Add(DbContext db, Action action) => Pending.GetOrCreateValue(db).Add(action);

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData)
    {
        if (eventData.Context is { } context && Pending.TryGetValue(context, out var actions))
        {
            Pending.Remove(context);
            foreach (var action in actions)
            {
                action();
            }
        }
    }

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        TransactionCommitted(transaction, eventData);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData)
    {
        if (eventData.Context is { } context)
        {
            Pending.Remove(context);
        }
    }

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        TransactionRolledBack(transaction, eventData);
        return Task.CompletedTask;
    }
}

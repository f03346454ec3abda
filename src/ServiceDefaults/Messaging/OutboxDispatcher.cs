using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Platform.ServiceDefaults.Messaging;

public sealed class OutboxOptions
{
    /// <summary>
    /// Rows published per round, all in flight at once. Rounds follow creation order strictly, but within a round the
    /// broker may receive rows in any order. 1 gives strict broker order at about 2,000 events/s.
    /// </summary>
    /// <remarks>
    /// Measured (docs/benchmarks.md, messaging benchmark): with 500 a burst runs ahead of its consumer and thousands of
    /// messages queue up in RabbitMQ, where each then costs the broker about 10 % more CPU. With 200 the consumer keeps
    /// up, and the extra rounds cost the service nothing measurable.
    /// </remarks>
    public int BatchSize { get; set; } = 200;
    /// <summary>How often the outbox is read when nothing signals a new row (rows from other instances, restarts).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
    /// <summary>Longest wait for one publish confirmation before the round is counted as failed.</summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(10);
    public TimeSpan MinRetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(15);
}

/// <summary>
/// Publishes committed outbox rows to RabbitMQ in creation order and deletes them once the broker confirmed.
/// A round takes the oldest rows and keeps all their publishes in flight together (awaiting each confirm in turn
/// would cap the rate near 2,000/s), so order holds between rounds, not inside one (see <see cref="OutboxOptions.BatchSize"/>).
/// Only the confirmed prefix of a round is deleted: a failed row and every row after it are published again in the
/// next round, so consumers may see a duplicate (the inbox absorbs it) but never a gap. While the broker is down the dispatcher backs off exponentially and loses nothing; rows survive
/// restarts because they are only deleted after confirmation. One dispatcher per database works at a time
/// (a transaction-scoped advisory lock), so scaling a service out does not reorder events.
/// </summary>
public sealed partial class OutboxDispatcher<TDb>(
    IServiceScopeFactory scopes,
    IBus bus,
    OutboxSignal signal,
    MessagingTelemetry telemetry,
    IOptions<OutboxOptions> options,
    TimeProvider clock,
    ILogger<OutboxDispatcher<TDb>> logger) : BackgroundService where TDb : DbContext
{
    // Any constant works: each service has a database of its own.
    private const long AdvisoryLockKey = 0x6f7574626f78; // "outbox"
    private static readonly ConcurrentDictionary<string, Type?> Types = new();
    private readonly OutboxOptions _options = options.Value;
    private long _lastBacklogCheck;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            RoundResult result;
            try
            {
                result = await DispatchRoundAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogRoundFailed(logger, ex.GetType().Name, ex.Message);
                result = RoundResult.Failed;
            }

            await ObserveBacklogAsync(stoppingToken);

            if (result == RoundResult.Failed)
            {
                failures++;
                await DelayAsync(RetryDelay(failures), stoppingToken);
                continue;
            }
            failures = 0;
            if (result == RoundResult.Drained)
            {
                // Sleep until a commit signals new rows, or poll for rows written by other instances.
                try { await signal.WaitAsync(_options.PollInterval, stoppingToken); }
                catch (OperationCanceledException) { return; }
            }
        }
    }

    internal enum RoundResult { Drained, MoreWaiting, Failed }

    /// <summary>Publishes one round. Returns whether more rows are waiting.</summary>
    internal async Task<RoundResult> DispatchRoundAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDb>();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var locked = await db.Database
            .SqlQuery<bool>($"SELECT pg_try_advisory_xact_lock({AdvisoryLockKey}) AS \"Value\"")
            .SingleAsync(cancellationToken);
        if (!locked)
        {
            return RoundResult.Drained; // another instance is dispatching
        }

        // Not tracked: the rows are only read, then deleted or marked with set-based statements.
        var rows = await db.Set<OutboxMessage>()
            .AsNoTracking()
            .OrderBy(m => m.Id)
            .Take(_options.BatchSize)
            .ToListAsync(cancellationToken);
        if (rows.Count == 0)
        {
            return RoundResult.Drained;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.PublishTimeout);
        // Endpoints are resolved once per round and type, before the sends start.
        var endpoints = new Dictionary<Type, ISendEndpoint>();
        var messages = new (object Message, Type Type)[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            var type = ResolveType(rows[i].MessageType);
            messages[i] = (JsonSerializer.Deserialize(rows[i].Payload, type, PlatformJson.Options)!, type);
            if (!endpoints.ContainsKey(type))
            {
                endpoints[type] = await PublishEndpointFor(type);
            }
        }
        var publishes = new Task[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            publishes[i] = PublishAsync(rows[i], messages[i].Message, messages[i].Type, endpoints[messages[i].Type], timeout.Token);
        }
        try
        {
            await Task.WhenAll(publishes);
        }
        catch
        {
            // Inspected per task below.
        }

        var confirmed = 0;
        while (confirmed < rows.Count && publishes[confirmed].IsCompletedSuccessfully)
        {
            confirmed++;
        }

        if (confirmed > 0)
        {
            // By id, not by range: a row with a lower id may have been committed after this round read the table.
            var confirmedIds = rows.Take(confirmed).Select(r => r.Id).ToArray();
            await db.Set<OutboxMessage>().Where(m => confirmedIds.Contains(m.Id)).ExecuteDeleteAsync(cancellationToken);
            telemetry.Published.Add(confirmed);
        }
        if (confirmed < rows.Count)
        {
            var failed = rows[confirmed];
            var error = publishes[confirmed].Exception?.GetBaseException().Message ?? "publish timed out";
            var lastError = OutboxMessage.TruncateError(error);
            await db.Set<OutboxMessage>().Where(m => m.Id == failed.Id).ExecuteUpdateAsync(
                s => s.SetProperty(m => m.Attempts, m => m.Attempts + 1).SetProperty(m => m.LastError, lastError),
                cancellationToken);
            telemetry.PublishFailures.Add(rows.Count - confirmed);
            LogPublishFailed(logger, failed.MessageType, failed.MessageId, failed.Attempts + 1, error);
        }
        await tx.CommitAsync(cancellationToken);

        if (confirmed < rows.Count)
        {
            return RoundResult.Failed;
        }
        return rows.Count == _options.BatchSize ? RoundResult.MoreWaiting : RoundResult.Drained;
    }

    private static Type ResolveType(string name) =>
        Types.GetOrAdd(name, static n => Type.GetType(n, throwOnError: false))
        ?? throw new InvalidOperationException($"Unknown event type '{name}'.");

    private Task<ISendEndpoint> PublishEndpointFor(Type type) =>
        (Task<ISendEndpoint>)GetPublishSendEndpoint.MakeGenericMethod(type).Invoke(bus, null)!;

    private static readonly System.Reflection.MethodInfo GetPublishSendEndpoint =
        typeof(IPublishEndpointProvider).GetMethod(nameof(IPublishEndpointProvider.GetPublishSendEndpoint))!;

    private static async Task PublishAsync(OutboxMessage row, object message, Type type, ISendEndpoint endpoint, CancellationToken cancellationToken)
    {
        // Continue the trace of the request that wrote the row; MassTransit's send activity becomes its child
        // and carries the context on to every consumer.
        ActivityContext.TryParse(row.TraceParent, row.TraceState, isRemote: true, out var parent);
        using var activity = MessagingTelemetry.ActivitySource.StartActivity(
            $"outbox publish {type.Name}", ActivityKind.Internal, parent);
        activity?.SetTag("messaging.message.id", row.MessageId);
        activity?.SetTag("platform.outbox.id", row.Id);

        await endpoint.Send(message, type, Pipe.Execute<SendContext>(context => context.MessageId = row.MessageId), cancellationToken);
    }

    private async Task ObserveBacklogAsync(CancellationToken cancellationToken)
    {
        // A count per second at most: cheap enough, and the gauge is read every few seconds.
        var now = clock.GetTimestamp();
        if (clock.GetElapsedTime(_lastBacklogCheck, now) < TimeSpan.FromSeconds(1))
        {
            return;
        }
        _lastBacklogCheck = now;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TDb>();
            var backlog = await db.Set<OutboxMessage>()
                .GroupBy(_ => 1)
                .Select(g => new { Count = g.LongCount(), Oldest = g.Min(m => m.OccurredAt) })
                .SingleOrDefaultAsync(cancellationToken);
            telemetry.ObserveBacklog(
                backlog?.Count ?? 0,
                backlog is null ? 0 : Math.Max(0, (clock.GetUtcNow() - backlog.Oldest).TotalSeconds));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogBacklogUnknown(logger, ex.Message);
        }
    }

    private TimeSpan RetryDelay(int failures)
    {
        var ms = _options.MinRetryDelay.TotalMilliseconds * Math.Pow(2, Math.Min(failures - 1, 16));
        var capped = Math.Min(ms, _options.MaxRetryDelay.TotalMilliseconds);
        // Jitter so that many services do not hammer a recovering broker in step.
        return TimeSpan.FromMilliseconds(capped * (0.5 + Random.Shared.NextDouble() / 2));
    }

    private async Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try { await Task.Delay(delay, clock, cancellationToken); }
        catch (OperationCanceledException) { /* stopping */ }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox round failed ({ErrorType}): {Reason}; retrying")]
    private static partial void LogRoundFailed(ILogger logger, string errorType, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing {MessageType} {MessageId} failed (attempt {Attempts}): {Reason}; it and later events will be retried")]
    private static partial void LogPublishFailed(ILogger logger, string messageType, Guid messageId, int attempts, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Outbox backlog could not be read: {Reason}")]
    private static partial void LogBacklogUnknown(ILogger logger, string reason);
}

using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Platform.Partners.Data;
using Platform.Partners.Domain;
using Platform.ServiceDefaults.Security;

namespace Platform.Partners.Sending;

/// <summary>
/// Sends due deliveries. Each round claims a batch with a lease (so several instances never send the same delivery
/// at once, and a crashed instance's claims come back after the lease), never more per agency than the agency's
/// concurrency limit minus what is already in flight to it: a slow or failing agency fills only its own slots.
/// </summary>
public sealed partial class DeliveryWorker(
    IServiceScopeFactory scopes,
    WebhookSender sender,
    PersonalDataProtector secrets,
    PartnersTelemetry telemetry,
    IOptions<PartnersOptions> options,
    TimeProvider clock,
    ILogger<DeliveryWorker> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<Guid, int> _inFlight = new();
    private readonly ConcurrentDictionary<Guid, byte> _cancelled = new();
    private readonly SemaphoreSlim _finished = new(0);
    private readonly RetrySchedule _schedule = RetrySchedule.Parse(options.Value.RetryDelays);
    private int _total;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var running = new ConcurrentDictionary<Guid, Task>();
        while (!stoppingToken.IsCancellationRequested)
        {
            IReadOnlyList<Guid> claimed = [];
            try
            {
                var room = settings.MaxInFlight - Volatile.Read(ref _total);
                if (room > 0)
                {
                    claimed = await ClaimAsync(Math.Min(room, settings.BatchSize), stoppingToken);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogClaimFailed(logger, ex);
            }
            foreach (var id in claimed)
            {
                running[id] = SendAsync(id, stoppingToken).ContinueWith(_ => running.TryRemove(id, out Task? _), TaskScheduler.Default);
            }
            if (claimed.Count < settings.BatchSize)
            {
                // Nothing more is due now: wait for the next poll, or for a send to finish (its agency has room again).
                try
                {
                    await _finished.WaitAsync(settings.PollInterval, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
        // Attempts in flight were cancelled with the stopping token; give them a moment to wind down, then hand
        // back what this instance still holds so another instance (or the next start) sends it at once rather than
        // after the lease. Only a crash leaves leases to run out.
        await Task.WhenAll(running.Values).WaitAsync(TimeSpan.FromSeconds(2), CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await ReleaseAsync([.. running.Keys, .. _cancelled.Keys]);
    }

    private async Task ReleaseAsync(Guid[] deliveryIds)
    {
        if (deliveryIds.Length == 0)
        {
            return;
        }
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PartnersDb>();
            await db.Deliveries.Where(d => deliveryIds.Contains(d.Id) && d.Status == DeliveryStatus.Pending)
                .ExecuteUpdateAsync(u => u.SetProperty(d => d.LeaseUntil, (DateTimeOffset?)null), timeout.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or DbException or InvalidOperationException)
        {
            LogReleaseFailed(logger, ex, deliveryIds.Length);
        }
    }

    private async Task<IReadOnlyList<Guid>> ClaimAsync(int limit, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PartnersDb>();
        var now = clock.GetUtcNow();
        var leaseUntil = now + options.Value.Lease;
        var busy = _inFlight.Where(kv => kv.Value > 0).ToArray();
        var busyAgencies = busy.Select(kv => kv.Key).ToArray();
        var busyCounts = busy.Select(kv => kv.Value).ToArray();
        // The outer conditions repeat the lease test so that a row another instance claimed meanwhile is skipped
        // (PostgreSQL re-checks them on the locked row).
        var ids = await db.Database.SqlQuery<Guid>($"""
            WITH busy AS (SELECT * FROM unnest({busyAgencies}::uuid[], {busyCounts}::int[]) AS b(agency, n)),
            due AS (
                SELECT d."Id", d."AgencyId",
                       row_number() OVER (PARTITION BY d."AgencyId" ORDER BY d."NextAttemptAt") AS rn
                FROM deliveries d
                JOIN subscriptions s ON s."Id" = d."SubscriptionId" AND s."Status" = 'Active'
                WHERE d."Status" = 'Pending' AND d."NextAttemptAt" <= {now}
                  AND (d."LeaseUntil" IS NULL OR d."LeaseUntil" < {now})
                ORDER BY d."NextAttemptAt"
                LIMIT {limit * 4}),
            chosen AS (
                SELECT due."Id" FROM due
                JOIN agencies a ON a."Id" = due."AgencyId"
                LEFT JOIN busy ON busy.agency = due."AgencyId"
                WHERE due.rn <= a."MaxConcurrentDeliveries" - COALESCE(busy.n, 0)
                LIMIT {limit})
            UPDATE deliveries SET "LeaseUntil" = {leaseUntil}
            FROM chosen
            WHERE deliveries."Id" = chosen."Id" AND deliveries."Status" = 'Pending'
              AND (deliveries."LeaseUntil" IS NULL OR deliveries."LeaseUntil" < {now})
            RETURNING deliveries."Id" AS "Value"
            """).ToListAsync(ct);
        return ids;
    }

    private async Task SendAsync(Guid deliveryId, CancellationToken ct)
    {
        Guid? agency = null;
        Interlocked.Increment(ref _total);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PartnersDb>();
            var delivery = await db.Deliveries.SingleAsync(d => d.Id == deliveryId, ct);
            agency = delivery.AgencyId;
            _inFlight.AddOrUpdate(delivery.AgencyId, 1, (_, n) => n + 1);
            var subscription = await db.Subscriptions.SingleAsync(s => s.Id == delivery.SubscriptionId, ct);

            var now = clock.GetUtcNow();
            var signing = subscription.SigningSecrets(now).Select(secrets.Unprotect).ToArray();
            var result = await sender.SendAsync(subscription.CallbackUrl, delivery, signing, options.Value.AttemptTimeout, ct);
            var answeredAt = clock.GetUtcNow();

            var outcome = delivery.RecordAttempt(result.StatusCode, result.LatencyMs, result.Error, _schedule, Random.Shared.NextDouble(), answeredAt);
            db.DeliveryAttempts.Add(DeliveryAttempt.Of(delivery, answeredAt));
            Action<Subscription>? change = outcome switch
            {
                AttemptOutcome.Gone => s => s.DisableBecauseGone(answeredAt),
                AttemptOutcome.DeadLettered => s => s.FlagDeadLetter(answeredAt),
                _ => null,
            };
            change?.Invoke(subscription);
            switch (outcome)
            {
                case AttemptOutcome.Gone:
                    await db.Deliveries
                        .Where(d => d.SubscriptionId == subscription.Id && d.Status == DeliveryStatus.Pending && d.Id != delivery.Id)
                        .ExecuteUpdateAsync(u => u.SetProperty(d => d.Status, DeliveryStatus.Cancelled), ct);
                    LogGone(logger, subscription.Id);
                    break;
                case AttemptOutcome.DeadLettered:
                    LogDeadLettered(logger, delivery.WebhookId, subscription.Id, delivery.Attempts);
                    break;
                case AttemptOutcome.Delivered:
                    telemetry.EventToDelivery.Record((answeredAt - delivery.OccurredAt).TotalMilliseconds);
                    break;
            }
            await SaveAsync(db, subscription, change, ct);
            telemetry.Attempts.Add(1, new KeyValuePair<string, object?>("outcome", outcome.ToString().ToLowerInvariant()));
            telemetry.AttemptDuration.Record(result.LatencyMs);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Shutting down: handed back on the way out and sent again (same webhook id).
            _cancelled.TryAdd(deliveryId, 0);
        }
        catch (Exception ex)
        {
            LogSendFailed(logger, ex, deliveryId);
        }
        finally
        {
            if (agency is { } a)
            {
                _inFlight.AddOrUpdate(a, 0, (_, n) => Math.Max(0, n - 1));
            }
            Interlocked.Decrement(ref _total);
            _finished.Release();
        }
    }

    /// <summary>
    /// The agency may have changed the subscription meanwhile (paused, rotated its secret): on a conflict, take its
    /// version and apply this attempt's consequence again on top.
    /// </summary>
    private static async Task SaveAsync(PartnersDb db, Subscription subscription, Action<Subscription>? change, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            await db.Entry(subscription).ReloadAsync(ct);
            change?.Invoke(subscription);
            await db.SaveChangesAsync(ct);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not hand back {Count} claimed deliveries at shutdown; they are sent again when their lease ends")]
    private static partial void LogReleaseFailed(ILogger logger, Exception ex, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not claim due deliveries; trying again at the next poll")]
    private static partial void LogClaimFailed(ILogger logger, Exception ex);

    [LoggerMessage(Level = LogLevel.Error, Message = "Delivery {DeliveryId} could not be processed; it is sent again when its lease ends")]
    private static partial void LogSendFailed(ILogger logger, Exception ex, Guid deliveryId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Subscription {SubscriptionId} disabled: its callback answered 410 Gone")]
    private static partial void LogGone(ILogger logger, Guid subscriptionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery {WebhookId} dead-lettered after {Attempts} attempts; subscription {SubscriptionId} flagged")]
    private static partial void LogDeadLettered(ILogger logger, string webhookId, Guid subscriptionId, int attempts);

    public override void Dispose()
    {
        _finished.Dispose();
        base.Dispose();
    }
}

using System.Collections.Concurrent;
using System.Data.Common;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Platform.Partners;
using Platform.Partners.Data;
using Platform.Partners.Domain;
using Platform.ServiceDefaults.Security;

namespace Platform.Partners.Application;

/// <summary>
/// Sends due deliveries. Each round claims a batch with a lease (so several instances never send the same delivery
/// at once, and a crashed instance's claims come back after the lease), never more per agency than the agency's
/// concurrency limit minus what is already in flight to it: a slow or failing agency fills only its own slots.
/// Answers are recorded in batches (one transaction for many attempts), and a delivery stays leased until its
/// answer is recorded, so it is never claimed twice.
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
    private const int RecordBatch = 500;

    private readonly ConcurrentDictionary<Guid, int> _inFlight = new();
    /// <summary>Deliveries claimed by this instance and not yet recorded: handed back at shutdown.</summary>
    private readonly ConcurrentDictionary<Guid, byte> _held = new();
    private readonly Channel<AttemptAnswer> _answers = Channel.CreateUnbounded<AttemptAnswer>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim _finished = new(0);
    private readonly RetrySchedule _schedule = RetrySchedule.Parse(options.Value.RetryDelays);
    private int _total;

    private sealed record Claimed(Guid Id, Guid AgencyId, string WebhookId, string Body, DateTimeOffset OccurredAt, string CallbackUrl, string[] Secrets);

    private sealed record AttemptAnswer(Guid DeliveryId, SendResult Result, DateTimeOffset AnsweredAt);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var recording = RecordAnswersAsync();
        var running = new ConcurrentDictionary<Guid, Task>();
        while (!stoppingToken.IsCancellationRequested)
        {
            IReadOnlyList<Claimed> claimed = [];
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
            foreach (var delivery in claimed)
            {
                running[delivery.Id] = SendAsync(delivery, stoppingToken).ContinueWith(_ => running.TryRemove(delivery.Id, out Task? _), TaskScheduler.Default);
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
        // Attempts in flight were cancelled with the stopping token: let them wind down, record what was answered,
        // then hand back what this instance still holds so the next start (or another instance) sends it at once
        // rather than after the lease. Only a crash leaves leases to run out.
        await Task.WhenAll(running.Values).WaitAsync(TimeSpan.FromSeconds(2), CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _answers.Writer.TryComplete();
        await recording.WaitAsync(TimeSpan.FromSeconds(2), CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await ReleaseAsync([.. _held.Keys]);
    }

    private async Task<IReadOnlyList<Claimed>> ClaimAsync(int limit, CancellationToken ct)
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
        if (ids.Count == 0)
        {
            return [];
        }
        foreach (var id in ids)
        {
            _held.TryAdd(id, 0);
        }
        var rows = await db.Deliveries.AsNoTracking()
            .Where(d => ids.Contains(d.Id))
            .Join(db.Subscriptions, d => d.SubscriptionId, s => s.Id, (d, s) => new { Delivery = d, Subscription = s })
            .ToListAsync(ct);
        return rows.ConvertAll(r =>
        {
            _inFlight.AddOrUpdate(r.Delivery.AgencyId, 1, (_, n) => n + 1);
            Interlocked.Increment(ref _total);
            return new Claimed(r.Delivery.Id, r.Delivery.AgencyId, r.Delivery.WebhookId, r.Delivery.Body, r.Delivery.OccurredAt,
                r.Subscription.CallbackUrl, [.. r.Subscription.SigningSecrets(now).Select(secrets.Unprotect)]);
        });
    }

    private async Task SendAsync(Claimed delivery, CancellationToken ct)
    {
        try
        {
            var result = await sender.SendAsync(delivery.CallbackUrl, delivery.WebhookId, delivery.Body, delivery.Secrets, options.Value.AttemptTimeout, ct);
            await _answers.Writer.WriteAsync(new AttemptAnswer(delivery.Id, result, clock.GetUtcNow()), CancellationToken.None);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Shutting down: still held, so handed back on the way out and sent again (same webhook id).
        }
        catch (Exception ex)
        {
            LogSendFailed(logger, ex, delivery.Id);
        }
        finally
        {
            _inFlight.AddOrUpdate(delivery.AgencyId, 0, (_, n) => Math.Max(0, n - 1));
            Interlocked.Decrement(ref _total);
            _finished.Release();
        }
    }

    private async Task RecordAnswersAsync()
    {
        var batch = new List<AttemptAnswer>(RecordBatch);
        while (await _answers.Reader.WaitToReadAsync(CancellationToken.None))
        {
            while (batch.Count < RecordBatch && _answers.Reader.TryRead(out var answer))
            {
                batch.Add(answer);
            }
            try
            {
                await RecordAsync(batch);
                foreach (var answer in batch)
                {
                    _held.TryRemove(answer.DeliveryId, out _);
                }
            }
            catch (Exception ex)
            {
                // Not recorded: the deliveries stay leased and are tried again after the lease (same webhook id).
                LogRecordFailed(logger, ex, batch.Count);
            }
            batch.Clear();
        }
    }

    private async Task RecordAsync(List<AttemptAnswer> answers)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var ct = timeout.Token;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PartnersDb>();
        var ids = answers.ConvertAll(a => a.DeliveryId);
        var deliveries = await db.Deliveries.Where(d => ids.Contains(d.Id)).ToDictionaryAsync(d => d.Id, ct);
        var changes = new Dictionary<Guid, Action<Subscription>>();
        var gone = new HashSet<Guid>();
        var attempts = new List<(AttemptOutcome Outcome, double LatencyMs, double? EventToDeliveryMs)>(answers.Count);
        foreach (var answer in answers)
        {
            if (!deliveries.TryGetValue(answer.DeliveryId, out var delivery))
            {
                continue;
            }
            var (result, at) = (answer.Result, answer.AnsweredAt);
            var outcome = delivery.RecordAttempt(result.StatusCode, result.LatencyMs, result.Error, _schedule, Random.Shared.NextDouble(), at);
            db.DeliveryAttempts.Add(DeliveryAttempt.Of(delivery, at));
            switch (outcome)
            {
                case AttemptOutcome.Gone:
                    changes[delivery.SubscriptionId] = s => s.DisableBecauseGone(at);
                    gone.Add(delivery.SubscriptionId);
                    LogGone(logger, delivery.SubscriptionId);
                    break;
                case AttemptOutcome.DeadLettered:
                    if (!gone.Contains(delivery.SubscriptionId))
                    {
                        changes[delivery.SubscriptionId] = s => s.FlagDeadLetter(at);
                    }
                    LogDeadLettered(logger, delivery.WebhookId, delivery.SubscriptionId, delivery.Attempts);
                    break;
            }
            attempts.Add((outcome, result.LatencyMs, outcome == AttemptOutcome.Delivered ? (at - delivery.OccurredAt).TotalMilliseconds : null));
        }
        var subscriptionIds = changes.Keys.ToList();
        var subscriptions = subscriptionIds.Count == 0 ? [] : await db.Subscriptions.Where(s => subscriptionIds.Contains(s.Id)).ToListAsync(ct);
        foreach (var subscription in subscriptions)
        {
            changes[subscription.Id](subscription);
        }
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            if (gone.Count > 0)
            {
                // A 410 stops the subscription: what else is waiting for it will not be sent.
                var goneIds = gone.ToList();
                await db.Deliveries
                    .Where(d => goneIds.Contains(d.SubscriptionId) && d.Status == DeliveryStatus.Pending && !ids.Contains(d.Id))
                    .ExecuteUpdateAsync(u => u.SetProperty(d => d.Status, DeliveryStatus.Cancelled), ct);
            }
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                // The agency changed a subscription meanwhile (paused it, rotated its secret): take its version
                // and apply this batch's consequence on top.
                foreach (var subscription in subscriptions)
                {
                    await db.Entry(subscription).ReloadAsync(ct);
                    changes[subscription.Id](subscription);
                }
                await db.SaveChangesAsync(ct);
            }
            await tx.CommitAsync(ct);
        }
        // Counted once recorded: a batch that failed to record is tried again and must not count twice.
        foreach (var (outcome, latencyMs, eventToDeliveryMs) in attempts)
        {
            telemetry.Attempted(outcome, latencyMs, eventToDeliveryMs);
        }
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not hand back {Count} claimed deliveries at shutdown; they are sent again when their lease ends")]
    private static partial void LogReleaseFailed(ILogger logger, Exception ex, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not claim due deliveries; trying again at the next poll")]
    private static partial void LogClaimFailed(ILogger logger, Exception ex);

    [LoggerMessage(Level = LogLevel.Error, Message = "Delivery {DeliveryId} could not be sent; it is tried again when its lease ends")]
    private static partial void LogSendFailed(ILogger logger, Exception ex, Guid deliveryId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not record {Count} delivery answers; those deliveries are tried again when their lease ends")]
    private static partial void LogRecordFailed(ILogger logger, Exception ex, int count);

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

using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Platform.Partners.Data;
using Platform.Partners.Domain;
using Platform.ServiceDefaults.Data;

namespace Platform.Partners.Application;

/// <summary>
/// Queues the monthly rights-case counts for every subscription that wants them, once per month and subscription,
/// when a month has ended (checked periodically; operators can also queue a closed month at once).
/// </summary>
public sealed partial class MonthlyRightsReports(IServiceScopeFactory scopes, IOptions<PartnersOptions> options, TimeProvider clock, ILogger<MonthlyRightsReports> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ReportCheckInterval, clock);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<PartnersDb>();
                await QueueAsync(db, RightsCaseCount.LastClosedMonth(clock.GetUtcNow()), clock.GetUtcNow(), stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Queues <paramref name="month"/>'s counts for each wanting subscription not yet served; returns how many.</summary>
    public static async Task<int> QueueAsync(PartnersDb db, string month, DateTimeOffset now, CancellationToken ct)
    {
        var type = PublicEventCatalogue.Find(PublicEventCatalogue.RightsCaseCountsType)!;
        var served = await db.MonthlyReportsSent.Where(r => r.Month == month).Select(r => r.SubscriptionId).ToListAsync(ct);
        var subscriptions = await db.Subscriptions
            .Where(s => s.Status == SubscriptionStatus.Active && s.EventTypes.Contains(type.Type) && !served.Contains(s.Id))
            .ToListAsync(ct);
        if (subscriptions.Count == 0)
        {
            return 0;
        }
        var counts = await db.RightsCaseCounts.AsNoTracking().Where(c => c.Month == month)
            .OrderBy(c => c.District).ThenBy(c => c.Category).ToListAsync(ct);
        // The same event id for the month in every subscription: it is one fact, delivered to several agencies.
        var eventId = MonthEventId(month);
        foreach (var subscription in subscriptions)
        {
            var rows = counts
                .Where(c => subscription.Districts.Count == 0 || subscription.Districts.Contains(c.District))
                .Where(c => subscription.Categories.Count == 0 || subscription.Categories.Contains(c.Category))
                .Select(c => new RightsCaseCountRow(c.District, c.Category, c.Opened, c.Resolved))
                .ToList();
            var body = CloudEvent.Serialize(type, eventId, new RightsCaseMonthlyCounts(month, rows), now, month);
            db.Deliveries.Add(Delivery.For(subscription, type, eventId, body, now, now));
            db.MonthlyReportsSent.Add(new MonthlyReportSent { SubscriptionId = subscription.Id, Month = month, QueuedAt = now });
        }
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            // Another instance queued this month at the same moment: it is served once, by that instance.
            return 0;
        }
        return subscriptions.Count;
    }

    private static Guid MonthEventId(string month)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"rights-case-counts/{month}"));
        return new Guid(hash.AsSpan(0, 16));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not queue the monthly rights-case counts; trying again at the next check")]
    private static partial void LogFailed(ILogger logger, Exception ex);
}

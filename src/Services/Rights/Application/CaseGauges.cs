using Microsoft.EntityFrameworkCore;
using Platform.Rights;
using Platform.Rights.Data;
using Platform.Rights.Domain;

namespace Platform.Rights.Application;

/// <summary>
/// Counts open and overdue cases every few seconds (<c>Platform:Rights:CaseGaugeInterval</c>, default 15 s) for the
/// <c>platform.rights.cases.open</c> and <c>.overdue</c> gauges: a count in PostgreSQL, so a metrics collection
/// never waits for the database and a restart shows the true figures at once.
/// </summary>
public sealed partial class CaseGauges(IServiceScopeFactory scopes, RightsTelemetry telemetry, TimeProvider clock,
    IConfiguration configuration, ILogger<CaseGauges> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = configuration.GetValue("Platform:Rights:CaseGaugeInterval", TimeSpan.FromSeconds(15));
        using var timer = new PeriodicTimer(interval, clock);
        try
        {
            do
            {
                try
                {
                    await ReadAsync(stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    // The database may be restarting: keep the last figures and read again next time.
                    LogReadFailed(logger, ex);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task ReadAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RightsDb>();
        var now = clock.GetUtcNow();
        var open = db.Cases.AsNoTracking()
            .Where(c => c.Status != CaseStatus.Resolved && c.Status != CaseStatus.Closed && c.Status != CaseStatus.Escalated);
        var openCount = await open.LongCountAsync(ct);
        var overdue = await open.LongCountAsync(c => c.FirstRespondedAt == null
            && (c.Status == CaseStatus.Submitted || c.Status == CaseStatus.Triaged || c.Status == CaseStatus.Assigned)
            && c.FirstResponseDueAt < now, ct);
        telemetry.ObserveCases(openCount, overdue);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not count open and overdue cases for the dashboard")]
    private static partial void LogReadFailed(ILogger logger, Exception exception);
}

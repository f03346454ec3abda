using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Platform.ServiceDefaults.Data;

/// <summary>Who runs a once-per-city job next: the period it was taken for ends at <see cref="DueAt"/>.</summary>
public sealed class JobLease
{
    public string Job { get; init; } = "";
    public DateTimeOffset DueAt { get; init; }
    public DateTimeOffset TakenAt { get; init; }
}

/// <summary>
/// Jobs that must run once per period for the whole city however many instances of their service run (pruning,
/// reminders, reports): every instance checks often, and the one that takes the job's lease in the service's database
/// runs it; the others find it taken until the period ends. If the instance that took it dies, another takes the
/// next period. The lease is one row per job, taken with one atomic statement, so no two instances ever hold it.
/// </summary>
/// <remarks>
/// Periods are measured by the taking instance's clock; instances whose clocks differ by a few seconds shorten or
/// lengthen one period by that much, never run a period twice at once. A run that fails hands the period back, so the
/// next check (on any instance) tries again.
/// </remarks>
public sealed class CityJobs : IDisposable
{
    public const string MeterName = "Platform.Jobs";
    public const string Table = "job_leases";

    private readonly Meter _meter;
    private readonly Counter<long> _rounds;
    private readonly TimeProvider _clock;

    public CityJobs(IMeterFactory meters, TimeProvider clock)
    {
        _clock = clock;
        _meter = meters.Create(MeterName);
        _rounds = _meter.CreateCounter<long>("platform.jobs.rounds", "{round}",
            "Checks of a once-per-city job by this instance, by outcome: ran, taken (another instance has this period) or failed.");
    }

    /// <summary>Runs <paramref name="work"/> if this instance takes the job's current period; returns whether it ran.</summary>
    public async Task<bool> RunIfDueAsync(DbContext db, string job, TimeSpan period, Func<CancellationToken, Task> work, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(work);
        var now = _clock.GetUtcNow().ToDatabasePrecision();
        var due = now + period;
        // Inserted the first time; otherwise taken only if the period has ended. Concurrent takers queue on the row and
        // see the first one's new DueAt, so exactly one of them changes it.
        var taken = await db.Database.ExecuteSqlAsync($"""
            INSERT INTO job_leases ("Job", "DueAt", "TakenAt") VALUES ({job}, {due}, {now})
            ON CONFLICT ("Job") DO UPDATE SET "DueAt" = EXCLUDED."DueAt", "TakenAt" = EXCLUDED."TakenAt"
            WHERE job_leases."DueAt" <= {now}
            """, ct) == 1;
        if (!taken)
        {
            Count(job, "taken");
            return false;
        }
        try
        {
            await work(ct);
        }
        catch
        {
            Count(job, "failed");
            await db.Database.ExecuteSqlAsync($"UPDATE job_leases SET \"DueAt\" = {now} WHERE \"Job\" = {job} AND \"TakenAt\" = {now}", CancellationToken.None);
            throw;
        }
        Count(job, "ran");
        return true;
    }

    private void Count(string job, string outcome) =>
        _rounds.Add(1, new KeyValuePair<string, object?>("job", job), new KeyValuePair<string, object?>("outcome", outcome));

    public void Dispose() => _meter.Dispose();
}

public static class CityJobsExtensions
{
    public static ModelBuilder AddJobLeaseTable(this ModelBuilder model)
    {
        model.Entity<JobLease>(e =>
        {
            e.ToTable(CityJobs.Table);
            e.HasKey(x => x.Job);
            e.Property(x => x.Job).HasMaxLength(100);
        });
        return model;
    }

    public static IServiceCollection AddCityJobs(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<CityJobs>();
        return services;
    }
}

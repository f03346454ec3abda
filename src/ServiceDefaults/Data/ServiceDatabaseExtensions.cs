using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Platform.ServiceDefaults.Messaging;
using Platform.ServiceDefaults.Security;

namespace Platform.ServiceDefaults.Data;

public static class ServiceDatabaseExtensions
{
    /// <summary>
    /// Registers the service's own PostgreSQL database: the EF Core context on the named connection string, the
    /// outbox wake-up interceptor, a readiness check, and migrations applied at start (before the service listens).
    /// </summary>
    public static IHostApplicationBuilder AddServiceDatabase<TDb>(this IHostApplicationBuilder builder, string connectionName)
        where TDb : DbContext
    {
        var connectionString = builder.Configuration.GetConnectionString(connectionName);
        if (string.IsNullOrWhiteSpace(connectionString) && !EF.IsDesignTime)
        {
            throw new InvalidOperationException(
                $"Connection string '{connectionName}' is missing. Start the service through the app host, or set ConnectionStrings__{connectionName}.");
        }

        connectionString = WithStatementPreparation(connectionString);
        builder.Services.TryAddSingleton<OutboxSignal>();
        builder.Services.TryAddSingleton<OutboxSignalInterceptor>();
        builder.Services.TryAddSingleton<AfterCommitInterceptor>();
        // Pooled: every request and every consumed message gets a context, and a pooled one skips re-reading the
        // options and EF's internal services each time. Contexts therefore take only their options (see PersonalDataColumns).
        builder.Services.AddDbContextPool<TDb>((sp, options) =>
        {
            if (connectionString is null)
            {
                options.UseNpgsql();
            }
            else
            {
                options.UseNpgsql(connectionString, npgsql => npgsql.CommandTimeout(30));
            }
            options.AddInterceptors(sp.GetRequiredService<OutboxSignalInterceptor>(), sp.GetRequiredService<AfterCommitInterceptor>());
            if (sp.GetService<PersonalDataProtector>() is { } protector)
            {
                options.UsePersonalDataProtector(protector);
            }
        });

        builder.Services.AddScoped(sp => new Http.IdempotencyStore(sp.GetRequiredService<TDb>()));
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck<TDb>>($"{connectionName}", tags: ["ready"]);
        builder.Services.AddHostedService<DatabaseMigrator<TDb>>();
        return builder;
    }

    /// <summary>
    /// Lets Npgsql prepare the statements a service runs over and over (outbox, inbox, its own saves), so PostgreSQL
    /// parses and plans them once per connection instead of on every execution. A setting in the configured
    /// connection string wins.
    /// </summary>
    private static string? WithStatementPreparation(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return connectionString;
        }
        var settings = new NpgsqlConnectionStringBuilder(connectionString);
        if (settings.MaxAutoPrepare == 0)
        {
            settings.MaxAutoPrepare = 64;
        }
        return settings.ConnectionString;
    }
}

/// <summary>Ready only when the service's database answers.</summary>
internal sealed class DatabaseHealthCheck<TDb>(IServiceScopeFactory scopes) : IHealthCheck where TDb : DbContext
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDb>();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(3));
        try
        {
            return await db.Database.CanConnectAsync(timeout.Token)
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy("The database does not answer.");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("The database did not answer within 3 s.");
        }
    }
}

/// <summary>
/// Applies the owning service's migrations when it starts. Hosted services start before Kestrel listens, so no
/// request ever meets an old schema. Retries for a short while: the database server may still be starting.
/// </summary>
/// <remarks>
/// Several instances of a service may start at once (a deployment with replicas): each creates the database if it is
/// missing (one wins, the others find it there), then migrates under a session advisory lock on that database, so one
/// instance applies the migrations and the others, once they get the lock, find nothing left to apply. Without the
/// lock two instances read the same history and both ran the same migration (seen: one failed on a column the other
/// had just added).
/// </remarks>
internal sealed partial class DatabaseMigrator<TDb>(IServiceScopeFactory scopes, ILogger<DatabaseMigrator<TDb>> logger) : IHostedService
    where TDb : DbContext
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var started = TimeProvider.System.GetTimestamp();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<TDb>();
                await CreateIfMissingAsync(db, cancellationToken);
                await MigrateAloneAsync(db, cancellationToken);
                LogMigrated(logger, typeof(TDb).Name, attempt);
                return;
            }
            // The server still starting (or failing over) is waited for; a migration the server refuses is not.
            catch (Exception ex) when ((ex.IsDatabaseAway() || ex is TimeoutException)
                                       && TimeProvider.System.GetElapsedTime(started) < Deadline)
            {
                LogRetry(logger, typeof(TDb).Name, attempt, ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(attempt, 5)), cancellationToken);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static async Task CreateIfMissingAsync(TDb db, CancellationToken cancellationToken)
    {
        var creator = db.GetService<IRelationalDatabaseCreator>();
        if (await creator.ExistsAsync(cancellationToken))
        {
            return;
        }
        try
        {
            await creator.CreateAsync(cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.DuplicateDatabase or PostgresErrorCodes.UniqueViolation)
        {
            // Another instance created it a moment earlier.
        }
    }

    private static async Task MigrateAloneAsync(TDb db, CancellationToken cancellationToken)
    {
        // A session lock (not a transaction's): migrations run several transactions. It is released below, and by
        // PostgreSQL if this process dies while holding it.
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_lock({MigrationLockKey})", cancellationToken);
            try
            {
                await db.Database.MigrateAsync(cancellationToken);
            }
            finally
            {
                await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({MigrationLockKey})", CancellationToken.None);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    // Any constant works: each service has a database of its own, and the lock is per database.
    private const long MigrationLockKey = 0x6d696772617465; // "migrate"

    [LoggerMessage(Level = LogLevel.Information, Message = "Database of {Context} is at the latest migration (attempt {Attempt})")]
    private static partial void LogMigrated(ILogger logger, string context, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database of {Context} is not reachable yet (attempt {Attempt}): {Reason}")]
    private static partial void LogRetry(ILogger logger, string context, int attempt, string reason);
}

using Microsoft.EntityFrameworkCore;
using Platform.Stations.Data;
using Platform.Stations.Domain;

namespace Platform.Stations.Application;

public sealed class StationIndexOptions
{
    /// <summary>How often an instance reads station changes committed by other instances.</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(2);
}

/// <summary>
/// Keeps the search index in step with the database: loads every station before the service takes requests (so a
/// restarted instance answers exactly as before), then reads the changes committed after the highest revision it has
/// seen, every <see cref="StationIndexOptions.RefreshInterval"/>. Several instances each hold a full index and
/// converge within that interval; the instance that made a change applies it at once.
/// </summary>
public sealed partial class StationIndexSync(
    IServiceScopeFactory scopes,
    StationIndex index,
    Microsoft.Extensions.Options.IOptions<StationIndexOptions> options,
    ILogger<StationIndexSync> logger) : BackgroundService
{
    private const int Batch = 10_000;
    // What this instance has read from the database. Its own writes are applied to the index at once but do not move
    // this mark: another instance's change committed just before may not have been read yet.
    private long _synced;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        var started = TimeProvider.System.GetTimestamp();
        var loaded = await CatchUpAsync(cancellationToken);
        var elapsed = TimeProvider.System.GetElapsedTime(started);
        LogLoaded(logger, index.Count, loaded, elapsed.TotalMilliseconds);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.RefreshInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await CatchUpAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The database may be briefly away; the next tick catches up from the same revision.
                LogFailed(logger, ex.Message);
            }
        }
    }

    /// <summary>Applies every change after the index's revision; returns how many rows were read.</summary>
    public async Task<int> CatchUpAsync(CancellationToken ct)
    {
        var read = 0;
        while (true)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<StationsDb>();
            var after = _synced;
            var changes = await db.Stations.AsNoTracking()
                .Where(s => s.Revision > after)
                .OrderBy(s => s.Revision)
                .Take(Batch)
                .ToListAsync(ct);
            foreach (var station in changes)
            {
                index.Apply(station);
                _synced = station.Revision;
            }
            read += changes.Count;
            if (changes.Count < Batch)
            {
                return read;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Station search index loaded: {Active} active stations from {Rows} rows in {Milliseconds} ms")]
    private static partial void LogLoaded(ILogger logger, int active, int rows, double milliseconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Station search index could not read changes: {Reason}")]
    private static partial void LogFailed(ILogger logger, string reason);
}

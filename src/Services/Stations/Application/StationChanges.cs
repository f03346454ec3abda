using Microsoft.EntityFrameworkCore;
using Platform.ServiceDefaults.Data;
using Platform.Stations.Data;
using Platform.Stations.Domain;

namespace Platform.Stations.Application;

/// <summary>
/// Saves a station change so that every instance's search index can follow it: the change gets the next revision
/// while holding a transaction-scoped advisory lock, so revisions become visible in the order they were given and a
/// reader that has seen revision N has seen every revision below it. Station edits are rare (keepers, officers), so
/// serializing them costs nothing users notice. After the commit (the caller's, when it holds a transaction) this instance's index is updated at once; other
/// instances pick the change up within their refresh interval (<see cref="StationIndexSync"/>).
/// </summary>
public sealed class StationChanges(StationsDb db, StationIndex index)
{
    // Any constant unique to this purpose within the stations database.
    private const long LockKey = 0x5354_4154_494F_4E53; // "STATIONS"

    public async Task SaveAsync(Station station, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginOrJoinTransactionAsync(ct);
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({LockKey})", ct);
        station.Revision = await db.Database
            .SqlQueryRaw<long>($"SELECT nextval('{StationsDb.RevisionSequence}') AS \"Value\"")
            .SingleAsync(ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        // Inside a caller's transaction (an Idempotency-Key request) the change is durable only when that commits.
        db.AfterCommit(() => index.Apply(station));
    }
}

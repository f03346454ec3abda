using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Platform.ServiceDefaults.Data;

public static class DbErrors
{
    /// <summary>True when the save failed on a unique index: the thing already exists (answer 409, not 500).</summary>
    public static bool IsUniqueViolation(this DbUpdateException ex, string? constraint = null) =>
        ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } pg
        && (constraint is null || pg.ConstraintName == constraint);

    /// <summary>
    /// Whether the exception (or one it wraps, as EF Core's and Npgsql's multi-host attempts do) says the database could
    /// not be reached or went away (a restart, a failover, the pool waiting too long), as opposed to a fault of the
    /// request or the code: worth trying again in a few seconds.
    /// </summary>
    public static bool IsDatabaseAway(this Exception exception) => exception switch
    {
        PostgresException pg => pg.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown
                                    or PostgresErrorCodes.CannotConnectNow or PostgresErrorCodes.ReadOnlySqlTransaction
                                    or PostgresErrorCodes.TooManyConnections
                                || pg.SqlState.StartsWith("08", StringComparison.Ordinal), // connection exceptions
        // Npgsql's own (not the server's) errors are about reaching the server: not reached, connection lost, no pooled
        // connection free in time, or with several hosts none of them (yet) the primary ("No suitable host was found").
        NpgsqlException => true,
        _ => exception.InnerException?.IsDatabaseAway() == true,
    };
}

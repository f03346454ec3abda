using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Platform.ServiceDefaults.Data;

public static class DbErrors
{
    /// <summary>True when the save failed on a unique index: the thing already exists (answer 409, not 500).</summary>
    public static bool IsUniqueViolation(this DbUpdateException ex, string? constraint = null) =>
        ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } pg
        && (constraint is null || pg.ConstraintName == constraint);
}

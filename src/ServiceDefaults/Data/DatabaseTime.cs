namespace Platform.ServiceDefaults.Data;

public static class DatabaseTime
{
    /// <summary>
    /// PostgreSQL keeps timestamps to the microsecond; .NET to 100 ns. Entities round their times on creation so that
    /// the value in a 201 answer and in an event is the one later read back. The result is in UTC: PostgreSQL's
    /// <c>timestamptz</c> keeps the instant, not the offset, and Npgsql refuses to write any other offset, so a time
    /// a client sent as <c>+08:00</c> is the same instant stored (not a failed write).
    /// </summary>
    public static DateTimeOffset ToDatabasePrecision(this DateTimeOffset time) =>
        new(time.UtcTicks - time.UtcTicks % 10, TimeSpan.Zero);
}

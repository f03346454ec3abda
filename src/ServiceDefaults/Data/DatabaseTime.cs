namespace Platform.ServiceDefaults.Data;

public static class DatabaseTime
{
    /// <summary>
    /// PostgreSQL keeps timestamps to the microsecond; .NET to 100 ns. Entities round their times on creation so that
    /// the value in a 201 answer and in an event is the one later read back.
    /// </summary>
    public static DateTimeOffset ToDatabasePrecision(this DateTimeOffset time) =>
        new(time.Ticks - time.Ticks % 10, time.Offset);
}

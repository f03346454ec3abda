namespace Platform.Volunteers.Domain;

/// <summary>
/// Days and months as people in Langfang count them (Asia/Shanghai, UTC+8 all year: China keeps no daylight saving).
/// Service dates, membership dates and review months are local; instants are stored in UTC.
/// </summary>
public static class CityCalendar
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(8);

    public static DateOnly DateOf(DateTimeOffset instant) => DateOnly.FromDateTime(instant.ToOffset(Offset).DateTime);

    /// <summary>The first instant of a local date.</summary>
    public static DateTimeOffset StartOf(DateOnly date) => new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), Offset).ToUniversalTime();
}

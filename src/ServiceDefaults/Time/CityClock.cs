using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Platform.ServiceDefaults.Time;

/// <summary>
/// Days, months and hours as people in the city count them; instants are stored in UTC. The city's time zone is a
/// setting, <c>Platform:City:TimeZone</c> (an IANA id, Asia/Shanghai by default), read at start by every service
/// (<see cref="Configure"/>). A machine without time-zone data (a slim container without tzdata) gets a zone of the
/// fixed offset <c>Platform:City:UtcOffset</c> instead, which for Asia/Shanghai is known (+08:00 all year since 1991);
/// for another zone without data and without that setting the service refuses to start rather than count days wrong.
/// </summary>
public static class CityClock
{
    public const string TimeZoneSetting = "Platform:City:TimeZone";
    public const string UtcOffsetSetting = "Platform:City:UtcOffset";
    public const string DefaultTimeZone = "Asia/Shanghai";
    private static readonly TimeSpan DefaultZoneOffset = TimeSpan.FromHours(8);

    /// <summary>The city's time zone.</summary>
    public static TimeZoneInfo Zone { get; private set; } = Find(DefaultTimeZone, null);

    /// <summary>Sets the city's zone from the service's configuration (called by the service defaults at start).</summary>
    public static void Configure(IConfiguration configuration)
    {
        var id = configuration[TimeZoneSetting] is { Length: > 0 } configured ? configured : DefaultTimeZone;
        var offset = configuration[UtcOffsetSetting] is { Length: > 0 } text
            ? TimeSpan.Parse(text.TrimStart('+'), CultureInfo.InvariantCulture)
            : (TimeSpan?)null;
        Zone = Find(id, offset);
    }

    /// <summary>
    /// The zone of that id from the machine's time-zone data; without it, a zone of <paramref name="fixedOffset"/> (or
    /// +08:00 for Asia/Shanghai).
    /// </summary>
    public static TimeZoneInfo Find(string id, TimeSpan? fixedOffset) => Find(id, fixedOffset, TimeZoneInfo.FindSystemTimeZoneById);

    /// <summary>As <see cref="Find(string, TimeSpan?)"/>, reading the time-zone data with <paramref name="lookup"/> (in tests: none).</summary>
    internal static TimeZoneInfo Find(string id, TimeSpan? fixedOffset, Func<string, TimeZoneInfo> lookup)
    {
        try
        {
            return lookup(id);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            var offset = fixedOffset ?? (id == DefaultTimeZone ? DefaultZoneOffset : throw new InvalidOperationException(
                $"The city's time zone '{id}' is not in this machine's time-zone data: install tzdata, or set {UtcOffsetSetting} (e.g. +08:00) if the zone keeps one offset all year.", ex));
            return TimeZoneInfo.CreateCustomTimeZone(id, offset, id, id);
        }
    }

    /// <summary>The instant as the city's clocks show it (with the city's offset).</summary>
    public static DateTimeOffset ToCityTime(this DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone);

    /// <summary>The city's wall-clock date and time at the instant.</summary>
    public static DateTime LocalDateTime(DateTimeOffset instant) => instant.ToCityTime().DateTime;

    /// <summary>The city's date at the instant.</summary>
    public static DateOnly DateOf(DateTimeOffset instant) => DateOnly.FromDateTime(LocalDateTime(instant));

    /// <summary>The city's date now.</summary>
    public static DateOnly Today(TimeProvider clock) => DateOf(clock.GetUtcNow());

    /// <summary>The month (yyyy-MM) the instant falls in, in the city.</summary>
    public static string MonthOf(DateTimeOffset instant) => LocalDateTime(instant).ToString("yyyy-MM", CultureInfo.InvariantCulture);

    /// <summary>The instant a wall-clock time in the city stands for.</summary>
    public static DateTimeOffset FromLocal(DateTime local)
    {
        var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        return new DateTimeOffset(unspecified, Zone.GetUtcOffset(unspecified));
    }

    /// <summary>The first instant of a date in the city, in UTC.</summary>
    public static DateTimeOffset StartOf(DateOnly date) => FromLocal(date.ToDateTime(TimeOnly.MinValue)).ToUniversalTime();
}

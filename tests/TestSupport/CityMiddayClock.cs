namespace Platform.TestSupport;

/// <summary>
/// Real time, moved by less than twelve hours so that it is midday in the city when the clock is made. A service given
/// this clock and a test that reads <see cref="Today"/> from it agree on the city's date for the next twelve hours, even
/// when the test runs across the city's midnight (16:00 UTC), where a test reading the machine's clock and a service
/// reading its own a moment later could see two different days.
/// </summary>
public sealed class CityMiddayClock : TimeProvider
{
    /// <summary>The city's offset: Asia/Shanghai is UTC+8 all year (no daylight saving).</summary>
    public static readonly TimeSpan CityOffset = TimeSpan.FromHours(8);

    private readonly TimeSpan _shift;

    public CityMiddayClock()
    {
        var now = TimeProvider.System.GetUtcNow();
        var midday = new DateTimeOffset(now.ToOffset(CityOffset).Date.AddHours(12), CityOffset);
        _shift = midday - now;
    }

    public override DateTimeOffset GetUtcNow() => TimeProvider.System.GetUtcNow() + _shift;

    /// <summary>The city's date by this clock.</summary>
    public DateOnly Today => DateOnly.FromDateTime(GetUtcNow().ToOffset(CityOffset).DateTime);
}

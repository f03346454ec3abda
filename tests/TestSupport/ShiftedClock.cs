namespace Platform.TestSupport;

/// <summary>
/// A clock that runs with real time plus an offset the test moves forward: deadlines pass and sessions start without
/// waiting for them in real time (background work that waits on the clock keeps running).
/// </summary>
public sealed class ShiftedClock(TimeSpan offset = default) : TimeProvider
{
    /// <summary>The city's offset: Asia/Shanghai is UTC+8 all year (no daylight saving).</summary>
    public static readonly TimeSpan CityOffset = TimeSpan.FromHours(8);

    /// <summary>How far this clock is ahead of real time (behind, when negative: another machine's clock).</summary>
    public TimeSpan Offset { get; private set; } = offset;

    /// <summary>The city's date by this clock.</summary>
    public DateOnly CityToday => DateOnly.FromDateTime(GetUtcNow().ToOffset(CityOffset).DateTime);

    /// <summary>
    /// Real time moved by less than twelve hours so that it is midday in the city now. A service given this clock and a
    /// test that reads <see cref="CityToday"/> from it agree on the city's date for the next twelve hours, even when the
    /// test runs across the city's midnight (16:00 UTC), where a test reading the machine's clock and a service reading
    /// its own a moment later could see two different days.
    /// </summary>
    public static ShiftedClock MiddayInTheCity()
    {
        var now = TimeProvider.System.GetUtcNow();
        var midday = new DateTimeOffset(now.ToOffset(CityOffset).Date.AddHours(12), CityOffset);
        return new ShiftedClock(midday - now);
    }

    public void Advance(TimeSpan by) => Offset += by;

    public override DateTimeOffset GetUtcNow() => TimeProvider.System.GetUtcNow() + Offset;
}

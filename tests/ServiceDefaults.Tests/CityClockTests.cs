using Platform.ServiceDefaults.Time;

namespace Platform.ServiceDefaults.Tests;

/// <summary>The city's clock: dates and months as people in the city count them, also on a machine without tzdata.</summary>
public sealed class CityClockTests
{
    private static TimeZoneInfo NoTimeZoneData(string id) => throw new TimeZoneNotFoundException($"no data for {id}");

    [Fact]
    public void A_late_evening_in_UTC_is_the_next_day_and_month_in_the_city()
    {
        var instant = new DateTimeOffset(2026, 10, 31, 17, 0, 0, TimeSpan.Zero);
        Assert.Equal(new DateOnly(2026, 11, 1), CityClock.DateOf(instant));
        Assert.Equal("2026-11", CityClock.MonthOf(instant));
        Assert.Equal(new DateTimeOffset(2026, 10, 31, 16, 0, 0, TimeSpan.Zero), CityClock.StartOf(new DateOnly(2026, 11, 1)));
    }

    [Fact]
    public void Without_time_zone_data_the_default_city_zone_keeps_its_fixed_offset()
    {
        var zone = CityClock.Find(CityClock.DefaultTimeZone, null, NoTimeZoneData);
        Assert.Equal(TimeSpan.FromHours(8), zone.GetUtcOffset(new DateTime(2026, 7, 1, 12, 0, 0, DateTimeKind.Utc)));
        Assert.Equal(TimeSpan.FromHours(8), zone.GetUtcOffset(new DateTime(2026, 1, 1, 12, 0, 0, DateTimeKind.Utc)));
        // The same answers as with the data.
        var real = CityClock.Find(CityClock.DefaultTimeZone, null);
        var instant = new DateTimeOffset(2026, 12, 6, 16, 30, 0, TimeSpan.Zero);
        Assert.Equal(TimeZoneInfo.ConvertTime(instant, real), TimeZoneInfo.ConvertTime(instant, zone));
    }

    [Fact]
    public void Another_zone_without_data_takes_the_configured_offset_or_refuses_to_start()
    {
        var zone = CityClock.Find("Asia/Urumqi", TimeSpan.FromHours(6), NoTimeZoneData);
        Assert.Equal(TimeSpan.FromHours(6), zone.BaseUtcOffset);
        var refused = Assert.Throws<InvalidOperationException>(() => CityClock.Find("Asia/Urumqi", null, NoTimeZoneData));
        Assert.Contains(CityClock.UtcOffsetSetting, refused.Message, StringComparison.Ordinal);
    }
}

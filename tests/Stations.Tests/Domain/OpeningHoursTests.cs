using Platform.ServiceDefaults.Validation;
using Platform.Stations.Domain;

namespace Platform.Stations.Tests.Domain;

/// <summary>Opening hours in Asia/Shanghai: midnight, 24 hours, exceptions, and the time zone.</summary>
public sealed class OpeningHoursTests
{
    // 2026-11-23 is a Monday.
    private static DateTimeOffset Local(int month, int day, int hour, int minute = 0) => new(2026, month, day, hour, minute, 0, TimeSpan.FromHours(8));

    private static OpeningHours Hours(WeeklyHours[] weekly, params ExceptionHours[] exceptions)
    {
        var errors = new FieldErrors();
        var hours = new HoursDocument(weekly, exceptions).ToHours(errors, "hours");
        Assert.False(errors.Any, string.Join("; ", errors.ToDictionary().SelectMany(e => e.Value)));
        return hours!;
    }

    private static WeeklyHours[] EveryDay(string opens, string closes) =>
        [.. Enum.GetValues<DayOfWeek>().Select(d => new WeeklyHours(d, opens, closes))];

    [Fact]
    public void A_day_station_is_open_inside_its_hours_until_closing_and_closed_outside_with_the_next_opening()
    {
        var hours = Hours(EveryDay("08:00", "18:00"));

        Assert.Equal(new OpenState(true, Local(11, 23, 18), null), hours.StateAt(Local(11, 23, 9)));
        Assert.Equal(new OpenState(false, null, Local(11, 24, 8)), hours.StateAt(Local(11, 23, 18)));
        Assert.Equal(new OpenState(false, null, Local(11, 23, 8)), hours.StateAt(Local(11, 23, 7, 59)));
        Assert.True(hours.IsOpenAt(Local(11, 23, 8)));
        Assert.False(hours.IsOpenAt(Local(11, 23, 18)));
    }

    [Fact]
    public void A_span_past_midnight_keeps_the_station_open_into_the_next_day()
    {
        // Friday 18:00 to Saturday 02:00 only.
        var hours = Hours([new WeeklyHours(DayOfWeek.Friday, "18:00", "02:00")]);

        Assert.Equal(new OpenState(true, Local(11, 28, 2), null), hours.StateAt(Local(11, 27, 23)));
        Assert.Equal(new OpenState(true, Local(11, 28, 2), null), hours.StateAt(Local(11, 28, 1, 30)));
        Assert.True(hours.IsOpenAt(Local(11, 28, 1, 59)));
        Assert.False(hours.IsOpenAt(Local(11, 28, 2)));
        Assert.Equal(new OpenState(false, null, Local(12, 4, 18)), hours.StateAt(Local(11, 28, 2)));
    }

    [Fact]
    public void Closing_at_midnight_may_be_written_24_00_or_00_00()
    {
        var a = Hours([new WeeklyHours(DayOfWeek.Monday, "20:00", "24:00")]);
        var b = Hours([new WeeklyHours(DayOfWeek.Monday, "20:00", "00:00")]);

        Assert.Equal(new OpenState(true, Local(11, 24, 0), null), a.StateAt(Local(11, 23, 23, 59)));
        Assert.Equal(a.StateAt(Local(11, 23, 23, 59)), b.StateAt(Local(11, 23, 23, 59)));
        Assert.False(b.IsOpenAt(Local(11, 24, 0)));
    }

    [Fact]
    public void A_24_hour_station_is_open_at_midnight_with_no_closing_time()
    {
        var hours = Hours(EveryDay("00:00", "24:00"));

        Assert.Equal(new OpenState(true, null, null), hours.StateAt(Local(11, 23, 0)));
        Assert.Equal(new OpenState(true, null, null), hours.StateAt(Local(11, 29, 23, 59)));
        Assert.True(hours.IsOpenAt(Local(11, 24, 0)));
    }

    [Fact]
    public void Touching_spans_are_one_opening_so_until_is_the_end_of_the_last()
    {
        var hours = Hours([new WeeklyHours(DayOfWeek.Monday, "08:00", "12:00"), new WeeklyHours(DayOfWeek.Monday, "12:00", "18:00")]);

        Assert.Equal(new OpenState(true, Local(11, 23, 18), null), hours.StateAt(Local(11, 23, 10)));
    }

    [Fact]
    public void A_24_hour_station_closed_for_a_holiday_is_open_until_the_holiday_starts()
    {
        var hours = Hours(EveryDay("00:00", "24:00"), new ExceptionHours(new DateOnly(2026, 12, 1), new DateOnly(2026, 12, 2), [], "设备检修"));

        Assert.Equal(new OpenState(true, Local(12, 1, 0), null), hours.StateAt(Local(11, 30, 20)));
        Assert.Equal(new OpenState(false, null, Local(12, 3, 0)), hours.StateAt(Local(12, 1, 12)));
        Assert.False(hours.IsOpenAt(Local(12, 2, 23, 59)));
        Assert.True(hours.IsOpenAt(Local(12, 3, 0)));
    }

    [Fact]
    public void A_holiday_replaces_the_weekly_hours_but_the_night_before_still_runs_into_it()
    {
        // Nightly 22:00-06:00; 1 October closed (a span belongs to the date it starts on).
        var hours = Hours(EveryDay("22:00", "06:00"), new ExceptionHours(new DateOnly(2026, 10, 1), null, [], "国庆"));

        Assert.True(hours.IsOpenAt(Local(10, 1, 5)));
        Assert.Equal(new OpenState(true, Local(10, 1, 6), null), hours.StateAt(Local(10, 1, 5)));
        Assert.False(hours.IsOpenAt(Local(10, 1, 23)));
        Assert.False(hours.IsOpenAt(Local(10, 2, 3)));
        Assert.Equal(new OpenState(false, null, Local(10, 2, 22)), hours.StateAt(Local(10, 1, 23)));
    }

    [Fact]
    public void Special_hours_on_an_exception_day_replace_the_weekly_ones()
    {
        var hours = Hours(EveryDay("08:00", "18:00"), new ExceptionHours(new DateOnly(2026, 12, 31), null, [new DayHours("10:00", "02:00")], "跨年"));

        Assert.False(hours.IsOpenAt(Local(12, 31, 9)));
        Assert.Equal(new OpenState(true, Local(1, 1, 2).AddYears(1), null), hours.StateAt(Local(12, 31, 23)));
        Assert.True(hours.IsOpenAt(Local(1, 1, 1).AddYears(1)));
    }

    [Fact]
    public void The_hours_are_shanghai_time_whatever_the_offset_of_the_instant()
    {
        var hours = Hours([new WeeklyHours(DayOfWeek.Tuesday, "07:00", "09:00")]);
        // Monday 23:30 UTC is Tuesday 07:30 in Shanghai.
        var utc = new DateTimeOffset(2026, 11, 23, 23, 30, 0, TimeSpan.Zero);

        Assert.True(hours.IsOpenAt(utc));
        Assert.Equal(new OpenState(true, new DateTimeOffset(2026, 11, 24, 1, 0, 0, TimeSpan.Zero), null), hours.StateAt(utc));
        Assert.False(hours.IsOpenAt(new DateTimeOffset(2026, 11, 24, 7, 30, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void A_station_with_no_hours_in_the_look_ahead_is_closed_with_no_next_opening()
    {
        var hours = Hours(EveryDay("08:00", "18:00"), new ExceptionHours(new DateOnly(2026, 11, 1), new DateOnly(2027, 2, 28), [], "装修"));

        Assert.Equal(new OpenState(false, null, null), hours.StateAt(Local(11, 23, 9)));
    }

    [Theory]
    [InlineData("25:00", "18:00", "hours.weekly[0].opens")]
    [InlineData("08:00", "18:60", "hours.weekly[0].closes")]
    [InlineData("24:00", "18:00", "hours.weekly[0].opens")]
    [InlineData("8am", "18:00", "hours.weekly[0].opens")]
    public void Bad_times_are_refused_naming_the_field(string opens, string closes, string field)
    {
        var errors = new FieldErrors();

        var hours = new HoursDocument([new WeeklyHours(DayOfWeek.Monday, opens, closes)], null).ToHours(errors, "hours");

        Assert.Null(hours);
        Assert.Contains(field, errors.ToDictionary().Keys);
    }

    [Fact]
    public void Overlapping_or_backwards_exceptions_are_refused()
    {
        var errors = new FieldErrors();

        new HoursDocument(null,
        [
            new ExceptionHours(new DateOnly(2026, 10, 1), new DateOnly(2026, 10, 7), [], null),
            new ExceptionHours(new DateOnly(2026, 10, 5), new DateOnly(2026, 10, 6), [], null),
            new ExceptionHours(new DateOnly(2026, 12, 5), new DateOnly(2026, 12, 1), [], null),
        ]).ToHours(errors, "hours");

        var fields = errors.ToDictionary().Keys;
        Assert.Contains("hours.exceptions[1]", fields);
        Assert.Contains("hours.exceptions[2].to", fields);
    }

    [Fact]
    public void Hours_read_back_as_they_were_written()
    {
        var document = new HoursDocument(
            [new WeeklyHours(DayOfWeek.Monday, "08:00", "18:00"), new WeeklyHours(DayOfWeek.Friday, "18:00", "02:00"), new WeeklyHours(DayOfWeek.Sunday, "00:00", "24:00")],
            [new ExceptionHours(new DateOnly(2026, 10, 1), new DateOnly(2026, 10, 3), [new DayHours("10:00", "16:00")], "国庆")]);
        var hours = document.ToHours(new FieldErrors(), "hours")!;

        var again = HoursDocument.From(HoursDocument.Read(HoursDocument.From(hours).ToJson()));

        Assert.Equal(document.Weekly, again.Weekly);
        Assert.Equal(document.Exceptions![0] with { Hours = null }, again.Exceptions![0] with { Hours = null });
        Assert.Equal(document.Exceptions[0].Hours, again.Exceptions[0].Hours);
    }
}

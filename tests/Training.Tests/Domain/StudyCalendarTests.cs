using Platform.Training.Domain;

namespace Platform.Training.Tests.Domain;

/// <summary>Spring Festival from the Chinese lunisolar calendar, checked against the published dates.</summary>
public sealed class StudyCalendarTests
{
    [Theory]
    [InlineData(2020, "2020-01-25")]
    [InlineData(2021, "2021-02-12")]
    [InlineData(2023, "2023-01-22")]
    [InlineData(2024, "2024-02-10")]
    [InlineData(2025, "2025-01-29")]
    [InlineData(2026, "2026-02-17")]
    [InlineData(2027, "2027-02-06")]
    [InlineData(2028, "2028-01-26")]
    [InlineData(2033, "2033-01-31")]
    public void Spring_Festival_falls_on_the_published_date(int year, string expected)
    {
        Assert.Equal(DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), StudyCalendar.SpringFestival(year));
    }

    [Fact]
    public void The_year_s_fixed_dates_are_new_year_s_eve_1_may_1_july_and_1_october()
    {
        Assert.Equal(
            [new DateOnly(2025, 1, 28), new DateOnly(2025, 5, 1), new DateOnly(2025, 7, 1), new DateOnly(2025, 10, 1)],
            StudyCalendar.For(2025).Select(d => d.Date));
        Assert.Equal(FixedStudyOccasion.BeforeSpringFestival, StudyCalendar.OccasionOn(new DateOnly(2024, 2, 9)));
        Assert.Null(StudyCalendar.OccasionOn(new DateOnly(2024, 2, 10)));
    }

    [Fact]
    public void Years_outside_the_calendar_s_range_are_refused()
    {
        Assert.False(StudyCalendar.Supports(1900));
        Assert.True(StudyCalendar.Supports(1901));
        Assert.Equal(new DateOnly(1901, 2, 19), StudyCalendar.SpringFestival(1901));
        Assert.Equal(new DateOnly(2100, 2, 9), StudyCalendar.SpringFestival(2100));
        Assert.True(StudyCalendar.Supports(2100));
        Assert.False(StudyCalendar.Supports(2101));
        Assert.Throws<ArgumentOutOfRangeException>(() => StudyCalendar.SpringFestival(2101));
    }

    [Fact]
    public void A_themed_day_must_be_on_a_fixed_date_and_a_double_study_may_be_any_past_day()
    {
        var now = new DateTimeOffset(2025, 12, 1, 12, 0, 0, TimeSpan.Zero);
        Assert.True(StudyActivity.Record(Guid.NewGuid(), StudyActivityKind.ThemedDay, "除夕前主题党日", new DateOnly(2025, 1, 28), 20, now).IsValid);
        Assert.Contains("heldOn", StudyActivity.Record(Guid.NewGuid(), StudyActivityKind.ThemedDay, "主题党日", new DateOnly(2025, 1, 29), 20, now).Errors.Keys);
        Assert.True(StudyActivity.Record(Guid.NewGuid(), StudyActivityKind.DoubleStudy, "午休学习", new DateOnly(2025, 3, 3), 8, now).IsValid);
        // "Today" is Beijing's: 1 Dec 2025 23:30 UTC is already 2 Dec there.
        var lateEvening = new DateTimeOffset(2025, 12, 1, 23, 30, 0, TimeSpan.Zero);
        Assert.True(StudyActivity.Record(Guid.NewGuid(), StudyActivityKind.DoubleStudy, "晨会学习", new DateOnly(2025, 12, 2), 8, lateEvening).IsValid);
        Assert.False(StudyActivity.Record(Guid.NewGuid(), StudyActivityKind.DoubleStudy, "晨会学习", new DateOnly(2025, 12, 3), 8, lateEvening).IsValid);
    }
}

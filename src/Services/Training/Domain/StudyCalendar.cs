using System.Globalization;

namespace Platform.Training.Domain;

/// <summary>The four fixed study dates of each year (固定学习日).</summary>
public enum FixedStudyOccasion
{
    /// <summary>Lunar New Year's Eve (除夕), the day before Spring Festival.</summary>
    BeforeSpringFestival,
    /// <summary>1 May, Labour Day.</summary>
    LabourDay,
    /// <summary>1 July, the Party's founding day.</summary>
    PartyFoundingDay,
    /// <summary>1 October, National Day.</summary>
    NationalDay,
}

public sealed record FixedStudyDate(FixedStudyOccasion Occasion, DateOnly Date);

/// <summary>
/// Computes a year's fixed study dates. Spring Festival is the first day of the first month of the Chinese
/// lunisolar calendar, taken from .NET's <see cref="ChineseLunisolarCalendar"/> rather than a table of dates.
/// </summary>
public static class StudyCalendar
{
    private static readonly ChineseLunisolarCalendar Lunar = new();

    /// <summary>First Gregorian year the lunisolar calendar can place Spring Festival in.</summary>
    public static int MinYear => Lunar.GetYear(Lunar.MinSupportedDateTime);
    /// <summary>Last Gregorian year whose Spring Festival the lunisolar calendar knows (its range ends early in the next year).</summary>
    public static int MaxYear => Lunar.GetYear(Lunar.MaxSupportedDateTime);

    public static bool Supports(int year) => year >= MinYear && year <= MaxYear;

    /// <summary>Spring Festival (春节) of a Gregorian year: lunar month 1, day 1 of the lunar year that starts in it.</summary>
    public static DateOnly SpringFestival(int year)
    {
        if (!Supports(year))
        {
            throw new ArgumentOutOfRangeException(nameof(year), year, $"Spring Festival can be computed for {MinYear} to {MaxYear}.");
        }
        // The lunar year that begins in Gregorian year Y is numbered Y by ChineseLunisolarCalendar.
        return DateOnly.FromDateTime(Lunar.ToDateTime(year, 1, 1, 0, 0, 0, 0));
    }

    public static IReadOnlyList<FixedStudyDate> For(int year) =>
    [
        new(FixedStudyOccasion.BeforeSpringFestival, SpringFestival(year).AddDays(-1)),
        new(FixedStudyOccasion.LabourDay, new DateOnly(year, 5, 1)),
        new(FixedStudyOccasion.PartyFoundingDay, new DateOnly(year, 7, 1)),
        new(FixedStudyOccasion.NationalDay, new DateOnly(year, 10, 1)),
    ];

    public static FixedStudyOccasion? OccasionOn(DateOnly date) =>
        Supports(date.Year) ? For(date.Year).FirstOrDefault(d => d.Date == date)?.Occasion : null;
}

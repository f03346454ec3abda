namespace Platform.Organizations.Domain;

/// <summary>
/// Political birthdays (政治生日): the anniversary of joining the Party, on which a card is sent. Someone who joined on
/// 29 February celebrates on 28 February in years without one (the card must not skip three years).
/// </summary>
public static class PoliticalBirthday
{
    public const int MaxWindowDays = 366;

    /// <summary>Month * 100 + day: the key the anniversary lookup uses.</summary>
    public static int Key(DateOnly date) => date.Month * 100 + date.Day;

    /// <summary>The anniversary of <paramref name="joinedOn"/> in <paramref name="year"/>.</summary>
    public static DateOnly AnniversaryIn(int year, DateOnly joinedOn) =>
        joinedOn is { Month: 2, Day: 29 } && !DateTime.IsLeapYear(year)
            ? new DateOnly(year, 2, 28)
            : new DateOnly(year, joinedOn.Month, joinedOn.Day);

    /// <summary>The first anniversary on or after <paramref name="today"/> (never the joining day itself).</summary>
    public static DateOnly Next(DateOnly joinedOn, DateOnly today)
    {
        var year = Math.Max(today.Year, joinedOn.Year + 1);
        var candidate = AnniversaryIn(year, joinedOn);
        return candidate >= today ? candidate : AnniversaryIn(year + 1, joinedOn);
    }

    /// <summary>
    /// The month-day keys of the <paramref name="days"/> days starting with <paramref name="today"/>: a member whose
    /// joining key is among them has an anniversary in the window. 28 February of a year without 29 February also
    /// stands for 29 February.
    /// </summary>
    public static IReadOnlyList<int> KeysInWindow(DateOnly today, int days)
    {
        var keys = new List<int>(days + 1);
        for (var i = 0; i < days; i++)
        {
            var day = today.AddDays(i);
            keys.Add(Key(day));
            if (day is { Month: 2, Day: 28 } && !DateTime.IsLeapYear(day.Year))
            {
                keys.Add(229);
            }
        }
        return [.. keys.Distinct()];
    }
}

using System.Globalization;
using Platform.ServiceDefaults.Validation;
using Platform.ServiceDefaults.Time;

namespace Platform.Stations.Domain;

/// <summary>
/// One opening span in local time, counted in minutes from the local midnight of the day it starts.
/// <see cref="Closes"/> is after <see cref="Opens"/> and at most 24 hours later, so a span may run past midnight
/// (18:00-02:00 is Opens 1080, Closes 1560).
/// </summary>
public sealed record HoursSpan(int Opens, int Closes)
{
    public const int Day = 24 * 60;

    /// <summary>Reads "HH:mm" opening and closing times. A closing time at or before the opening time means the next day; equal times mean 24 hours.</summary>
    public static HoursSpan? Parse(FieldErrors errors, string field, string? opens, string? closes)
    {
        var o = ParseTime(errors, $"{field}.opens", opens, allowMidnightEnd: false);
        var c = ParseTime(errors, $"{field}.closes", closes, allowMidnightEnd: true);
        if (o is null || c is null)
        {
            return null;
        }
        var close = c.Value <= o.Value ? c.Value + Day : c.Value;
        return new HoursSpan(o.Value, close);
    }

    private static int? ParseTime(FieldErrors errors, string field, string? value, bool allowMidnightEnd)
    {
        if (value is "24:00" && allowMidnightEnd)
        {
            return Day;
        }
        if (value is null || !TimeOnly.TryParseExact(value, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            errors.Add(field, $"{field} must be a local time written HH:mm (00:00 to {(allowMidnightEnd ? "24:00" : "23:59")}).");
            return null;
        }
        return (time.Hour * 60) + time.Minute;
    }

    public string OpensText => Format(Opens);
    public string ClosesText => Format(Closes == Day ? Day : Closes % Day);

    private static string Format(int minutes) => minutes == Day ? "24:00" : $"{minutes / 60:00}:{minutes % 60:00}";
}

public sealed record WeeklySpan(DayOfWeek Day, HoursSpan Span);

/// <summary>
/// Hours that replace the weekly ones on the local dates From..To (inclusive): a public holiday, a temporary
/// closure (no spans), or special hours.
/// </summary>
public sealed record HoursException(DateOnly From, DateOnly To, IReadOnlyList<HoursSpan> Spans, string? Note);

/// <summary>Whether a station is open at an instant, and until when (or when it next opens). Times in UTC. IsOpen: Open at the instant asked about. Until: When open: when it closes; null when it stays open beyond the look-ahead (around the clock). NextOpensAt: When closed: when it opens next within the look-ahead, or null.</summary>
public sealed record OpenState(bool IsOpen, DateTimeOffset? Until, DateTimeOffset? NextOpensAt);

/// <summary>
/// A station's opening hours, kept in Asia/Shanghai local time (stations post their hours on the door in local time).
/// Rules: a span belongs to the local date it starts on, so the 22:00-06:00 night shift of 30 September still runs to
/// 06:00 on 1 October even if 1 October is a holiday exception; an exception replaces the spans that start on its
/// dates (none: closed those days). Touching or overlapping spans merge, so a 24-hour station (00:00-24:00 every day)
/// is open without interruption.
/// </summary>
public sealed class OpeningHours
{
    public const int MaxWeeklySpans = 50;
    public const int MaxExceptions = 100;
    public const int MaxExceptionDays = 366;
    public const int NoteMaxLength = 100;
    /// <summary>How far ahead "until" and "opens next" look: a month covers any holiday week or short closure.</summary>
    public static readonly int LookAheadDays = 31;


    public OpeningHours(IReadOnlyList<WeeklySpan> weekly, IReadOnlyList<HoursException> exceptions)
    {
        Weekly = weekly;
        Exceptions = exceptions;
        // Spans by day of week, for the per-query check (no allocation there).
        _byDay = new HoursSpan[7][];
        for (var d = 0; d < 7; d++)
        {
            _byDay[d] = [.. weekly.Where(w => (int)w.Day == d).Select(w => w.Span).OrderBy(s => s.Opens)];
        }
    }

    private readonly HoursSpan[][] _byDay;

    public IReadOnlyList<WeeklySpan> Weekly { get; }
    public IReadOnlyList<HoursException> Exceptions { get; }

    public static OpeningHours Closed { get; } = new([], []);

    /// <summary>Open every day around the clock.</summary>
    public static OpeningHours AroundTheClock { get; } = new([.. Enum.GetValues<DayOfWeek>().Select(d => new WeeklySpan(d, new HoursSpan(0, HoursSpan.Day)))], []);

    /// <summary>The spans that start on a local date: an exception's if one covers the date, else the weekly ones.</summary>
    public IReadOnlyList<HoursSpan> SpansOn(DateOnly date)
    {
        foreach (var e in Exceptions)
        {
            if (date >= e.From && date <= e.To)
            {
                return e.Spans;
            }
        }
        return _byDay[(int)date.DayOfWeek];
    }


    /// <summary>Open at this instant? The fast check used by the nearby search for every candidate.</summary>
    public bool IsOpenAt(DateTimeOffset instant)
    {
        var local = CityClock.LocalDateTime(instant);
        var date = DateOnly.FromDateTime(local);
        var minute = (local.Hour * 60) + local.Minute + (local.Second / 60.0) + (local.Millisecond / 60000.0);
        foreach (var s in SpansOn(date))
        {
            if (minute >= s.Opens && minute < s.Closes)
            {
                return true;
            }
        }
        // A span of the day before that runs past midnight.
        var sinceYesterday = minute + HoursSpan.Day;
        foreach (var s in SpansOn(date.AddDays(-1)))
        {
            if (sinceYesterday >= s.Opens && sinceYesterday < s.Closes)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Open or not at an instant, until when, or when it opens next (within <see cref="LookAheadDays"/>).</summary>
    public OpenState StateAt(DateTimeOffset instant)
    {
        var local = CityClock.LocalDateTime(instant);
        var today = DateOnly.FromDateTime(local);
        var intervals = new List<(DateTime Start, DateTime End)>();
        for (var d = -1; d <= LookAheadDays; d++)
        {
            var date = today.AddDays(d);
            var midnight = date.ToDateTime(TimeOnly.MinValue);
            foreach (var s in SpansOn(date))
            {
                intervals.Add((midnight.AddMinutes(s.Opens), midnight.AddMinutes(s.Closes)));
            }
        }
        intervals.Sort((a, b) => a.Start.CompareTo(b.Start));
        var horizon = today.AddDays(LookAheadDays).ToDateTime(TimeOnly.MinValue);
        // Touching or overlapping spans form one run: "until" is the end of the run, not of the first span.
        var runs = new List<(DateTime Start, DateTime End)>();
        foreach (var (start, end) in intervals)
        {
            if (runs.Count > 0 && start <= runs[^1].End)
            {
                runs[^1] = (runs[^1].Start, end > runs[^1].End ? end : runs[^1].End);
            }
            else
            {
                runs.Add((start, end));
            }
        }
        foreach (var (start, end) in runs)
        {
            if (local < start)
            {
                return new OpenState(false, null, CityClock.FromLocal(start));
            }
            if (local < end)
            {
                // A run reaching the horizon is open around the clock as far as anyone can tell.
                return new OpenState(true, end >= horizon ? null : CityClock.FromLocal(end), null);
            }
        }
        return new OpenState(false, null, null);
    }
}

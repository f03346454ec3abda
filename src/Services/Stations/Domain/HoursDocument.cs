using System.Text.Json;
using Platform.ServiceDefaults.Validation;

namespace Platform.Stations.Domain;

/// <summary>A weekly opening span as written: <c>{"day":"friday","opens":"18:00","closes":"02:00"}</c> (closes next day).</summary>
public sealed record WeeklyHours(DayOfWeek? Day, string? Opens, string? Closes);

public sealed record DayHours(string? Opens, string? Closes);

/// <summary>Hours replacing the weekly ones on the local dates from..to; no hours: closed (holiday, temporary closure).</summary>
public sealed record ExceptionHours(DateOnly? From, DateOnly? To, IReadOnlyList<DayHours>? Hours, string? Note);

/// <summary>Opening hours as they travel in JSON and are stored: Asia/Shanghai local times "HH:mm".</summary>
public sealed record HoursDocument(IReadOnlyList<WeeklyHours>? Weekly, IReadOnlyList<ExceptionHours>? Exceptions)
{
    public OpeningHours? ToHours(FieldErrors errors, string field)
    {
        var before = errors.ToDictionary().Count;
        var weekly = Weekly ?? [];
        var exceptions = Exceptions ?? [];
        if (weekly.Count > OpeningHours.MaxWeeklySpans)
        {
            errors.Add($"{field}.weekly", $"At most {OpeningHours.MaxWeeklySpans} weekly spans.");
        }
        if (exceptions.Count > OpeningHours.MaxExceptions)
        {
            errors.Add($"{field}.exceptions", $"At most {OpeningHours.MaxExceptions} exceptions.");
        }
        var spans = new List<WeeklySpan>();
        for (var i = 0; i < weekly.Count; i++)
        {
            var w = weekly[i];
            var name = $"{field}.weekly[{i}]";
            if (w is null)
            {
                errors.Add(name, $"{name} is required.");
                continue;
            }
            var day = errors.Required($"{name}.day", w.Day);
            var span = HoursSpan.Parse(errors, name, w.Opens, w.Closes);
            if (span is not null && w.Day is not null)
            {
                spans.Add(new WeeklySpan(day, span));
            }
        }
        var parsed = new List<HoursException>();
        for (var i = 0; i < exceptions.Count; i++)
        {
            var e = exceptions[i];
            var name = $"{field}.exceptions[{i}]";
            if (e is null)
            {
                errors.Add(name, $"{name} is required.");
                continue;
            }
            var from = errors.Required($"{name}.from", e.From);
            var to = e.To ?? from;
            var note = errors.OptionalText($"{name}.note", e.Note, OpeningHours.NoteMaxLength);
            if (e.From is not null && to < from)
            {
                errors.Add($"{name}.to", $"{name}.to must not be before from.");
            }
            else if (e.From is not null && to.DayNumber - from.DayNumber >= OpeningHours.MaxExceptionDays)
            {
                errors.Add($"{name}.to", $"An exception covers at most {OpeningHours.MaxExceptionDays} days.");
            }
            var hours = new List<HoursSpan>();
            for (var j = 0; j < (e.Hours?.Count ?? 0); j++)
            {
                var h = e.Hours![j];
                var span = HoursSpan.Parse(errors, $"{name}.hours[{j}]", h?.Opens, h?.Closes);
                if (span is not null)
                {
                    hours.Add(span);
                }
            }
            if (e.From is not null && to >= from)
            {
                var overlapping = parsed.FindIndex(p => p.From <= to && from <= p.To);
                if (overlapping >= 0)
                {
                    errors.Add(name, $"{name} overlaps exceptions[{overlapping}]: each date has at most one exception.");
                }
                parsed.Add(new HoursException(from, to, [.. hours.OrderBy(s => s.Opens)], note));
            }
        }
        return errors.ToDictionary().Count > before ? null : new OpeningHours(spans, parsed);
    }

    public static HoursDocument From(OpeningHours hours) => new(
        [.. hours.Weekly.OrderBy(w => ((int)w.Day + 6) % 7).ThenBy(w => w.Span.Opens).Select(w => new WeeklyHours(w.Day, w.Span.OpensText, w.Span.ClosesText))],
        [.. hours.Exceptions.OrderBy(e => e.From).Select(e => new ExceptionHours(e.From, e.To, [.. e.Spans.Select(s => new DayHours(s.OpensText, s.ClosesText))], e.Note))]);

    public string ToJson() => JsonSerializer.Serialize(this, PlatformJson.Options);

    /// <summary>Reads hours as stored (they were validated when written).</summary>
    public static OpeningHours Read(string json)
    {
        var document = JsonSerializer.Deserialize<HoursDocument>(json, PlatformJson.Options) ?? new HoursDocument(null, null);
        var errors = new FieldErrors();
        return document.ToHours(errors, "hours") ?? throw new InvalidOperationException($"Stored opening hours are invalid: {string.Join("; ", errors.ToDictionary().SelectMany(e => e.Value))}");
    }
}

using Platform.ServiceDefaults.Data;
using Platform.ServiceDefaults.Validation;

namespace Platform.Training.Domain;

/// <summary>Where a programme stands on a given day.</summary>
/// <param name="Completions">Completions counted from the programme's courses.</param>
/// <param name="PercentOfTarget">Completions as a share of the target, 0-100+ (one decimal).</param>
/// <param name="ExpectedByNow">Completions a steady pace from start to end would have reached by today.</param>
/// <param name="OnPace">Whether completions meet the steady pace (or the target is already met).</param>
public sealed record ProgrammeProgress(long Completions, decimal PercentOfTarget, long ExpectedByNow, bool OnPace);

/// <summary>A training programme with a target, e.g. 3,000 live-stream streamers in 3 years; courses count towards it.</summary>
public sealed class Programme
{
    public const int NameMaxLength = 200;
    public const int MaxTarget = 10_000_000;

    public Guid Id { get; private set; }
    public string Name { get; private set; } = "";
    public int Target { get; private set; }
    public DateOnly StartsOn { get; private set; }
    public DateOnly EndsOn { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }

    private Programme() { }

    public static Validated<Programme> Create(string? name, int? target, DateOnly? startsOn, DateOnly? endsOn, DateTimeOffset now)
    {
        now = now.ToDatabasePrecision();
        var errors = new FieldErrors();
        var validName = errors.Text("name", name, NameMaxLength);
        var validTarget = errors.Required("target", target);
        if (target is < 1 or > MaxTarget)
        {
            errors.Add("target", $"target must be between 1 and {MaxTarget}.");
        }
        var start = errors.Required("startsOn", startsOn);
        var end = errors.Required("endsOn", endsOn);
        if (startsOn is not null && endsOn is not null && end <= start)
        {
            errors.Add("endsOn", "endsOn must be after startsOn.");
        }
        if (errors.Any)
        {
            return Validated<Programme>.Invalid(errors);
        }
        return Validated<Programme>.Ok(new Programme
        {
            Id = Guid.CreateVersion7(now),
            Name = validName,
            Target = validTarget,
            StartsOn = start,
            EndsOn = end,
            CreatedAt = now,
        });
    }

    /// <summary>Progress against a steady pace: by day d of the period, target x elapsed / total completions are due.</summary>
    public ProgrammeProgress Progress(long completions, DateOnly today)
    {
        var totalDays = EndsOn.DayNumber - StartsOn.DayNumber;
        var elapsed = Math.Clamp(today.DayNumber - StartsOn.DayNumber, 0, totalDays);
        var expected = (long)Math.Ceiling((decimal)Target * elapsed / totalDays);
        var percent = Math.Round(100m * completions / Target, 1);
        return new ProgrammeProgress(completions, percent, expected, completions >= Target || completions >= expected);
    }
}

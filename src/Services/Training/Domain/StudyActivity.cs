using Platform.Contracts;
using Platform.ServiceDefaults.Data;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.Validation;
using Platform.ServiceDefaults.Time;

namespace Platform.Training.Domain;

public enum StudyActivityKind
{
    /// <summary>A themed study day, held on one of the four fixed study dates.</summary>
    ThemedDay,
    /// <summary>"Double study" in a morning briefing or lunch break.</summary>
    DoubleStudy,
    ThreeMeetingsOneLesson,
}

/// <summary>A study activity an organization held, recorded afterwards with its attendance.</summary>
public sealed class StudyActivity
{
    public const int ThemeMaxLength = 200;
    public const int MaxAttendance = 100_000;

    public Guid Id { get; private set; }
    public Guid OrganizationId { get; private set; }
    public StudyActivityKind Kind { get; private set; }
    public string Theme { get; private set; } = "";
    public DateOnly HeldOn { get; private set; }
    public FixedStudyOccasion? Occasion { get; private set; }
    public int Attendance { get; private set; }
    public DateTimeOffset RecordedAt { get; private set; }

    private StudyActivity() { }

    public static Validated<StudyActivity> Record(Guid? organizationId, StudyActivityKind? kind, string? theme, DateOnly? heldOn, int? attendance, DateTimeOffset now)
    {
        now = now.ToDatabasePrecision();
        var errors = new FieldErrors();
        var validOrganization = errors.Required("organizationId", organizationId);
        if (organizationId == Guid.Empty)
        {
            errors.Add("organizationId", "organizationId must not be empty.");
        }
        var validKind = errors.Required("kind", kind);
        var validTheme = errors.Text("theme", theme, ThemeMaxLength);
        var validDate = errors.Required("heldOn", heldOn);
        var validAttendance = errors.Required("attendance", attendance);
        if (attendance is < 0 or > MaxAttendance)
        {
            errors.Add("attendance", $"attendance must be between 0 and {MaxAttendance}.");
        }
        FixedStudyOccasion? occasion = null;
        if (heldOn is not null)
        {
            if (validDate > CityClock.DateOf(now))
            {
                errors.Add("heldOn", "An activity is recorded once held: heldOn must not be in the future.");
            }
            else if (!StudyCalendar.Supports(validDate.Year))
            {
                errors.Add("heldOn", $"heldOn must be between {StudyCalendar.MinYear} and {StudyCalendar.MaxYear}.");
            }
            else
            {
                occasion = StudyCalendar.OccasionOn(validDate);
                if (kind == StudyActivityKind.ThemedDay && occasion is null)
                {
                    var dates = string.Join(", ", StudyCalendar.For(validDate.Year).Select(d => d.Date.ToString("yyyy-MM-dd")));
                    errors.Add("heldOn", $"A themed day is held on a fixed study date; in {validDate.Year}: {dates}.");
                }
            }
        }
        if (errors.Any)
        {
            return Validated<StudyActivity>.Invalid(errors);
        }
        return Validated<StudyActivity>.Ok(new StudyActivity
        {
            Id = Guid.CreateVersion7(now),
            OrganizationId = validOrganization,
            Kind = validKind,
            Theme = validTheme,
            HeldOn = validDate,
            Occasion = occasion,
            Attendance = validAttendance,
            RecordedAt = now,
        });
    }

    public StudyActivityHeld ToEvent() => new(Id, OrganizationId, KebabEnum.Name(Kind), Attendance, HeldOn);
}

using Platform.ServiceDefaults.Data;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.Validation;

namespace Platform.Training.Domain;

public enum CourseKind
{
    /// <summary>"Double study" (双学) in morning briefings and lunch breaks.</summary>
    DoubleStudy,
    /// <summary>"Three meetings and one lesson" (三会一课) adapted to shifts.</summary>
    ThreeMeetingsOneLesson,
    OfficeSoftware,
    ShortVideoEditing,
    LiveStreamMarketing,
    OtherVocational,
    /// <summary>The live-stream talent programme (red live-stream rooms).</summary>
    LiveStreamTalent,
}

public enum ProviderKind
{
    University,
    TrainingInstitution,
    Organization,
}

public enum Delivery
{
    Online,
    /// <summary>At a red station from the local venue copy.</summary>
    Station,
    /// <summary>At a street address.</summary>
    Address,
}

/// <summary>One meeting of a course.</summary>
public sealed class CourseSession
{
    public Guid Id { get; private set; }
    public Guid CourseId { get; private set; }
    public DateTimeOffset StartsAt { get; private set; }
    public DateTimeOffset EndsAt { get; private set; }

    private CourseSession() { }

    internal CourseSession(Guid courseId, DateTimeOffset startsAt, DateTimeOffset endsAt)
    {
        Id = Guid.CreateVersion7(startsAt);
        CourseId = courseId;
        StartsAt = startsAt;
        EndsAt = endsAt;
    }

    public bool Overlaps(CourseSession other) => StartsAt < other.EndsAt && other.StartsAt < EndsAt;
}

public sealed record SessionTimes(DateTimeOffset? StartsAt, DateTimeOffset? EndsAt);

/// <summary>A study or vocational course with its sessions and seats.</summary>
public sealed class Course
{
    public const int TitleMaxLength = 200;
    public const int ProviderNameMaxLength = 200;
    public const int AddressMaxLength = 300;
    public const int MaxCapacity = 10_000;
    public const int MaxSessions = 100;
    public const int DefaultCompletionPercent = 80;
    private static readonly TimeSpan MaxSessionLength = TimeSpan.FromHours(12);

    public Guid Id { get; private set; }
    public string Title { get; private set; } = "";
    public CourseKind Kind { get; private set; }
    public ProviderKind Provider { get; private set; }
    public string ProviderName { get; private set; } = "";
    public Delivery Delivery { get; private set; }
    public Guid? StationId { get; private set; }
    public string? Address { get; private set; }
    public int Capacity { get; private set; }
    /// <summary>Seats held (enrolled or completed learners). Changed only by a conditional update in the database, see <c>Seats</c>.</summary>
    public int SeatsTaken { get; private set; }
    /// <summary>Share of sessions a learner must attend to complete the course.</summary>
    public int CompletionPercent { get; private set; }
    public Guid? ProgrammeId { get; private set; }
    public DateTimeOffset FirstSessionAt { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public List<CourseSession> Sessions { get; private set; } = [];

    private Course() { }

    public int SeatsLeft => Math.Max(0, Capacity - SeatsTaken);

    /// <summary>Validates and creates a course. Whether the station and programme exist is checked by the caller (data it holds).</summary>
    public static Validated<Course> Create(
        string? title, CourseKind? kind, ProviderKind? provider, string? providerName, Delivery? delivery, Guid? stationId,
        string? address, int? capacity, int? completionPercent, Guid? programmeId, IReadOnlyList<SessionTimes>? sessions, DateTimeOffset now)
    {
        now = now.ToDatabasePrecision();
        var errors = new FieldErrors();
        var validTitle = errors.Text("title", title, TitleMaxLength);
        var validKind = errors.Required("kind", kind);
        var validProvider = errors.Required("provider", provider);
        var validProviderName = errors.Text("providerName", providerName, ProviderNameMaxLength);
        var validDelivery = errors.Required("delivery", delivery);
        var validAddress = errors.OptionalText("address", address, AddressMaxLength);
        if (delivery == Domain.Delivery.Station && stationId is null)
        {
            errors.Add("stationId", "stationId is required when delivery is station.");
        }
        if (delivery != Domain.Delivery.Station && stationId is not null)
        {
            errors.Add("stationId", "stationId is only given when delivery is station.");
        }
        if (delivery == Domain.Delivery.Address && validAddress is null)
        {
            errors.Add("address", "address is required when delivery is address.");
        }
        if (delivery != Domain.Delivery.Address && validAddress is not null)
        {
            errors.Add("address", "address is only given when delivery is address.");
        }
        var validCapacity = errors.Required("capacity", capacity);
        if (capacity is not null && validCapacity is < 1 or > MaxCapacity)
        {
            errors.Add("capacity", $"capacity must be between 1 and {MaxCapacity}.");
        }
        var percent = completionPercent ?? DefaultCompletionPercent;
        if (percent is < 1 or > 100)
        {
            errors.Add("completionPercent", "completionPercent must be between 1 and 100.");
        }

        var id = Guid.CreateVersion7(now);
        var validSessions = new List<CourseSession>();
        if (sessions is null || sessions.Count == 0)
        {
            errors.Add("sessions", "sessions must list at least one session.");
        }
        else if (sessions.Count > MaxSessions)
        {
            errors.Add("sessions", $"sessions must list at most {MaxSessions} sessions.");
        }
        else
        {
            for (var i = 0; i < sessions.Count; i++)
            {
                var s = sessions[i];
                if (s is null || s.StartsAt is null || s.EndsAt is null)
                {
                    errors.Add($"sessions[{i}]", "startsAt and endsAt are required.");
                    continue;
                }
                var starts = s.StartsAt.Value.ToUniversalTime().ToDatabasePrecision();
                var ends = s.EndsAt.Value.ToUniversalTime().ToDatabasePrecision();
                if (ends <= starts)
                {
                    errors.Add($"sessions[{i}].endsAt", "endsAt must be after startsAt.");
                }
                else if (ends - starts > MaxSessionLength)
                {
                    errors.Add($"sessions[{i}].endsAt", "a session lasts at most 12 hours.");
                }
                else if (starts <= now)
                {
                    errors.Add($"sessions[{i}].startsAt", "a session must start in the future.");
                }
                else
                {
                    var session = new CourseSession(id, starts, ends);
                    if (validSessions.Any(session.Overlaps))
                    {
                        errors.Add($"sessions[{i}]", "sessions of one course must not overlap.");
                    }
                    validSessions.Add(session);
                }
            }
        }
        if (errors.Any)
        {
            return Validated<Course>.Invalid(errors);
        }
        validSessions.Sort((a, b) => a.StartsAt.CompareTo(b.StartsAt));
        return Validated<Course>.Ok(new Course
        {
            Id = id,
            Title = validTitle,
            Kind = validKind,
            Provider = validProvider,
            ProviderName = validProviderName,
            Delivery = validDelivery,
            StationId = stationId,
            Address = validAddress,
            Capacity = validCapacity,
            CompletionPercent = percent,
            ProgrammeId = programmeId,
            FirstSessionAt = validSessions[0].StartsAt,
            CreatedAt = now,
            Sessions = validSessions,
        });
    }

    /// <summary>Enrolment closes when the first session starts.</summary>
    public bool HasBegun(DateTimeOffset now) => FirstSessionAt <= now;

    /// <summary>True when any of this course's sessions overlaps any of <paramref name="others"/>.</summary>
    public bool OverlapsAny(IEnumerable<CourseSession> others) => others.Any(o => Sessions.Any(s => s.Overlaps(o)));

    /// <summary>Sessions a learner must attend to complete: the completion share of all sessions, rounded up.</summary>
    public int SessionsRequired => (int)Math.Ceiling(Sessions.Count * CompletionPercent / 100m);

    public bool IsCompletedBy(int sessionsAttended) => sessionsAttended >= SessionsRequired;

    /// <summary>A seat freed while nobody waits for it.</summary>
    public void FreeSeat() => SeatsTaken = Math.Max(0, SeatsTaken - 1);

    public static string KindCode(CourseKind kind) => KebabEnum.Name(kind);
}

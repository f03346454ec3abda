using Platform.Contracts;
using Platform.ServiceDefaults.Data;
using Platform.ServiceDefaults.Geography;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.Validation;

namespace Platform.Volunteers.Domain;

/// <summary>Who changes a hazard report's status: the responsible department's system, community staff, an operator.</summary>
public sealed record HazardActor(string Kind, string? Department, IReadOnlySet<Guid> Communities)
{
    public static HazardActor ForDepartment(string department) => new("department", department, new HashSet<Guid>());
    public static HazardActor Staff(IReadOnlySet<Guid> communities) => new("community-staff", null, communities);
    public static readonly HazardActor Operator = new("operator", null, new HashSet<Guid>());
    /// <summary>A status change taken over from the city's earlier ledger (who made it then is not known here).</summary>
    public static readonly HazardActor Ledger = new("import", null, new HashSet<Guid>());
}

/// <summary>Where a report came from: a worker through the platform, or the city's earlier ledger (imported history).</summary>
public enum HazardSource
{
    Live,
    Imported,
}

/// <summary>
/// A hazard reported by a worker (a "mobile probe"), routed at intake to the department that fixes it. It does not
/// know who reported it: reporters are linked only through <see cref="HazardSubmission"/>, which no public or
/// department view reads.
/// </summary>
public sealed class HazardReport
{
    public const int DescriptionMaxLength = 1000;
    public const int NotesMaxLength = 1000;
    /// <summary>A new report of the same category this close to an open one is the same hazard ("me too").</summary>
    public const double DuplicateRadiusMetres = 30;

    private readonly List<HazardStatusChange> _changes = [];

    public Guid Id { get; private set; }
    public HazardCategory Category { get; private set; }
    public double Latitude { get; private set; }
    public double Longitude { get; private set; }
    public string? Description { get; private set; }
    /// <summary>District the report was routed in (from the nearest known community), or <see cref="HazardRouting.UnknownDistrict"/>.</summary>
    public string District { get; private set; } = "";
    /// <summary>The nearest community, whose staff may handle the report.</summary>
    public Guid? CommunityId { get; private set; }
    public string Department { get; private set; } = "";
    public HazardStatus Status { get; private set; }
    /// <summary>The closing notes or rejection reason (Open311 status_notes).</summary>
    public string? StatusNotes { get; private set; }
    public DateTimeOffset ReportedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }
    public DateTimeOffset? ClosedAt { get; private set; }
    /// <summary>How many other workers reported the same hazard after the first.</summary>
    public int MeTooCount { get; private set; }
    public bool HasPhoto { get; private set; }
    public HazardSource Source { get; private set; }
    /// <summary>The report's id in the ledger it was imported from (unique): importing it again finds it instead of copying it.</summary>
    public string? ExternalId { get; private set; }
    /// <summary>Row version (PostgreSQL xmin): concurrent status changes cannot both apply.</summary>
    public uint Version { get; private set; }
    public IReadOnlyList<HazardStatusChange> Changes => _changes;

    private HazardReport() { }

    /// <summary>Checks what a worker sent: a known category, a position in range, a short description.</summary>
    public static FieldErrors ValidateIntake(HazardCategory? category, double? latitude, double? longitude, string? description,
        out HazardCategory validCategory, out GeoPoint position, out string? validDescription, string latitudeField = "latitude", string longitudeField = "longitude", string categoryField = "category")
    {
        var errors = new FieldErrors();
        validCategory = errors.Required(categoryField, category);
        position = errors.Position(latitude, longitude, latitudeField, longitudeField);
        validDescription = errors.OptionalText("description", description, DescriptionMaxLength);
        return errors;
    }

    /// <summary>Takes in a new report, already routed: <paramref name="route"/> says where it goes.</summary>
    public static HazardReport Intake(HazardCategory category, GeoPoint position, string? description, RoutedTo route, DateTimeOffset now)
    {
        now = now.ToDatabasePrecision();
        return new HazardReport
        {
            Id = Guid.CreateVersion7(now),
            Category = category,
            Latitude = position.Latitude,
            Longitude = position.Longitude,
            Description = description,
            District = route.District,
            CommunityId = route.CommunityId,
            Department = route.Department,
            Status = HazardStatus.Open,
            ReportedAt = now,
            UpdatedAt = now,
        };
    }

    /// <summary>
    /// A report from the city's earlier ledger, routed as live intake routes it (<paramref name="route"/>), with its
    /// original time. Its status history is replayed with <see cref="ChangeStatus"/> at the original times, so the
    /// same steps and notes rules hold; the caller does not publish the events that returns (history is not news).
    /// </summary>
    public static HazardReport Import(HazardCategory category, GeoPoint position, string? description, RoutedTo route, DateTimeOffset reportedAt, string externalId)
    {
        var report = Intake(category, position, description, route, reportedAt);
        report.Source = HazardSource.Imported;
        report.ExternalId = externalId;
        return report;
    }

    public GeoPoint Position => new(Latitude, Longitude);

    /// <summary>Whether a new report of <paramref name="category"/> at <paramref name="position"/> is this hazard again.</summary>
    public bool IsSameHazard(HazardCategory category, GeoPoint position) =>
        !Status.IsFinal() && Category == category && IsSameSpot(Position, position);

    /// <summary>Whether two reports of one category are close enough to be one hazard.</summary>
    public static bool IsSameSpot(GeoPoint reported, GeoPoint position) => reported.DistanceTo(position) <= DuplicateRadiusMetres;

    /// <summary>Another worker reported this hazard: it is counted, not duplicated.</summary>
    public void AddMeToo(DateTimeOffset now)
    {
        MeTooCount++;
        UpdatedAt = now.ToDatabasePrecision();
    }

    public void AttachPhoto(DateTimeOffset now)
    {
        HasPhoto = true;
        UpdatedAt = now.ToDatabasePrecision();
    }

    /// <summary>
    /// Whether <paramref name="actor"/> may change this report's status: the department it is routed to, staff of
    /// its community, an operator.
    /// </summary>
    public bool MayBeHandledBy(HazardActor actor) => actor.Kind switch
    {
        "operator" => true,
        "department" => string.Equals(actor.Department, Department, StringComparison.Ordinal),
        "community-staff" => CommunityId is { } community && actor.Communities.Contains(community),
        _ => false,
    };

    /// <summary>
    /// Moves the report to <paramref name="next"/>. Closing needs notes, rejecting a reason; a final report does not
    /// change again. Each change is kept and announced.
    /// </summary>
    public Outcome<HazardStatusChanged> ChangeStatus(HazardStatus? next, string? notes, HazardActor actor, DateTimeOffset now)
    {
        if (next is null)
        {
            return Refusal.Invalid("status", $"status is required: one of {KebabEnum.Names<HazardStatus>()}.");
        }
        var trimmed = string.IsNullOrWhiteSpace(notes) ? null : notes.Trim();
        if (trimmed is { Length: > NotesMaxLength })
        {
            return Refusal.Invalid("notes", $"notes must be at most {NotesMaxLength} characters.");
        }
        if (!Status.Next().Contains(next.Value))
        {
            return Refusal.Conflict(Status.IsFinal()
                ? $"This report is {KebabEnum.Name(Status)}; it does not change any more."
                : $"A report that is {KebabEnum.Name(Status)} can become {string.Join(" or ", Status.Next().Select(s => KebabEnum.Name(s)))}, not {KebabEnum.Name(next.Value)}.");
        }
        if (next is HazardStatus.Closed && trimmed is null)
        {
            return Refusal.Invalid("notes", "notes are required to close a report: say what was done.");
        }
        if (next is HazardStatus.Rejected && trimmed is null)
        {
            return Refusal.Invalid("notes", "notes are required to reject a report: give the reason.");
        }
        now = now.ToDatabasePrecision();
        _changes.Add(new HazardStatusChange(Guid.CreateVersion7(now), Id, Status, next.Value, trimmed, actor.Kind, actor.Department, now));
        Status = next.Value;
        if (trimmed is not null)
        {
            StatusNotes = trimmed;
        }
        UpdatedAt = now;
        if (Status.IsFinal())
        {
            ClosedAt = now;
        }
        return new HazardStatusChanged(Id, KebabEnum.Name(Category), District, Department, KebabEnum.Name(Status), now);
    }

    public HazardReported ToEvent() =>
        new(Id, KebabEnum.Name(Category), Latitude, Longitude, District, Department, KebabEnum.Name(Status), ReportedAt);
}

/// <summary>One status change of a hazard report, kept for its history (who by kind, never by person).</summary>
public sealed record HazardStatusChange(Guid Id, Guid ReportId, HazardStatus From, HazardStatus To, string? Notes, string ActorKind, string? ActorDepartment, DateTimeOffset ChangedAt);

/// <summary>
/// Links a worker to a hazard report they sent (the first report or a "me too"): how a reporter finds their reports
/// and how the per-worker rate limit counts. Read only for the worker themself.
/// </summary>
public sealed class HazardSubmission
{
    public Guid Id { get; private set; }
    public Guid ReportId { get; private set; }
    public Guid WorkerId { get; private set; }
    public bool MeToo { get; private set; }
    public DateTimeOffset SubmittedAt { get; private set; }

    private HazardSubmission() { }

    public static HazardSubmission For(HazardReport report, Guid workerId, bool meToo, DateTimeOffset now)
    {
        now = now.ToDatabasePrecision();
        return new HazardSubmission { Id = Guid.CreateVersion7(now), ReportId = report.Id, WorkerId = workerId, MeToo = meToo, SubmittedAt = now };
    }
}

/// <summary>The photo of a hazard report, kept by this service and served at the report's media URL.</summary>
public sealed class HazardPhoto
{
    public Guid ReportId { get; private set; }
    public string ContentType { get; private set; } = "";
    public byte[] Content { get; private set; } = [];

    private HazardPhoto() { }

    public static HazardPhoto For(Guid reportId, PhotoContent photo) => new() { ReportId = reportId, ContentType = photo.ContentType, Content = photo.Bytes };
}

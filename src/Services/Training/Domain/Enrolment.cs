using Platform.ServiceDefaults.Data;
using Platform.ServiceDefaults.Validation;
using Platform.ServiceDefaults.Time;

namespace Platform.Training.Domain;

public enum EnrolmentStatus
{
    /// <summary>Holds a seat.</summary>
    Enrolled,
    /// <summary>The course was full; waits for a seat in order of enrolment.</summary>
    Waitlisted,
    Cancelled,
    /// <summary>Met the completion rule; keeps the seat and holds a certificate.</summary>
    Completed,
}

/// <summary>A worker's place (seat or waitlist) on a course.</summary>
public sealed class Enrolment
{
    public const int NameMaxLength = 50;

    public Guid Id { get; private set; }
    public Guid CourseId { get; private set; }
    public Guid WorkerId { get; private set; }
    /// <summary>The name the learner asked to have printed on the certificate (personal data: stored encrypted).</summary>
    public string NameOnCertificate { get; private set; } = "";
    public EnrolmentStatus Status { get; private set; }
    public DateTimeOffset EnrolledAt { get; private set; }
    public DateTimeOffset? PromotedAt { get; private set; }
    public DateTimeOffset? CancelledAt { get; private set; }
    public DateTimeOffset? CompletedAt { get; private set; }

    private Enrolment() { }

    public bool HoldsSeat => Status is EnrolmentStatus.Enrolled or EnrolmentStatus.Completed;
    public bool IsActive => Status != EnrolmentStatus.Cancelled;

    /// <summary>Validates what the learner gives at enrolment.</summary>
    public static FieldErrors ValidateName(string? nameOnCertificate, out string name)
    {
        var errors = new FieldErrors();
        name = errors.Text("nameOnCertificate", nameOnCertificate, NameMaxLength);
        return errors;
    }

    /// <summary>A new place: a seat when the database granted one (see <c>Seats.TryTakeAsync</c>), otherwise the waitlist.</summary>
    public static Enrolment Create(Guid courseId, Guid workerId, string nameOnCertificate, bool seated, DateTimeOffset now)
    {
        now = now.ToDatabasePrecision();
        return new Enrolment
        {
            Id = Guid.CreateVersion7(now),
            CourseId = courseId,
            WorkerId = workerId,
            NameOnCertificate = nameOnCertificate,
            Status = seated ? EnrolmentStatus.Enrolled : EnrolmentStatus.Waitlisted,
            EnrolledAt = now,
        };
    }

    public bool CanCancel => Status is EnrolmentStatus.Enrolled or EnrolmentStatus.Waitlisted;

    public void Cancel(DateTimeOffset now)
    {
        if (!CanCancel)
        {
            throw new InvalidOperationException($"A {Status} enrolment cannot be cancelled.");
        }
        Status = EnrolmentStatus.Cancelled;
        CancelledAt = now.ToDatabasePrecision();
    }

    /// <summary>Gives a waiting learner the seat a cancellation freed.</summary>
    public Notice Promote(Course course, DateTimeOffset now)
    {
        if (Status != EnrolmentStatus.Waitlisted)
        {
            throw new InvalidOperationException($"Only a waiting learner is promoted, not a {Status} one.");
        }
        Status = EnrolmentStatus.Enrolled;
        PromotedAt = now.ToDatabasePrecision();
        return Notice.SeatFreed(this, course, PromotedAt.Value);
    }

    public void Complete(DateTimeOffset now)
    {
        if (Status != EnrolmentStatus.Enrolled)
        {
            throw new InvalidOperationException($"Only an enrolled learner completes, not a {Status} one.");
        }
        Status = EnrolmentStatus.Completed;
        CompletedAt = now.ToDatabasePrecision();
    }
}

public enum NoticeKind
{
    SeatFreed,
    CourseCompleted,
}

/// <summary>Something the platform tells a worker in the app (their inbox of notices).</summary>
public sealed class Notice
{
    public Guid Id { get; private set; }
    public Guid WorkerId { get; private set; }
    public NoticeKind Kind { get; private set; }
    public Guid CourseId { get; private set; }
    public Guid EnrolmentId { get; private set; }
    public string Text { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }

    private Notice() { }

    public static Notice SeatFreed(Enrolment enrolment, Course course, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        WorkerId = enrolment.WorkerId,
        Kind = NoticeKind.SeatFreed,
        CourseId = course.Id,
        EnrolmentId = enrolment.Id,
        Text = $"A seat freed up on \"{course.Title}\": you are now enrolled. The first session starts {course.FirstSessionAt.ToCityTime():yyyy-MM-dd HH:mm} (Beijing time).",
        CreatedAt = now,
    };

    public static Notice Completed(Enrolment enrolment, Course course, Certificate certificate) => new()
    {
        Id = Guid.CreateVersion7(certificate.IssuedAt),
        WorkerId = enrolment.WorkerId,
        Kind = NoticeKind.CourseCompleted,
        CourseId = course.Id,
        EnrolmentId = enrolment.Id,
        Text = $"You completed \"{course.Title}\". Certificate code {certificate.DisplayCode}: anyone can verify it online.",
        CreatedAt = certificate.IssuedAt,
    };
}

/// <summary>A learner was present at a session (recorded by staff).</summary>
public sealed class Attendance
{
    public Guid SessionId { get; private set; }
    public Guid EnrolmentId { get; private set; }
    public DateTimeOffset RecordedAt { get; private set; }

    private Attendance() { }

    public Attendance(Guid sessionId, Guid enrolmentId, DateTimeOffset now)
    {
        SessionId = sessionId;
        EnrolmentId = enrolmentId;
        RecordedAt = now.ToDatabasePrecision();
    }
}

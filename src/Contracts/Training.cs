namespace Platform.Contracts;

/// <summary>A worker completed a course and was given a certificate. Version 1.</summary>
/// <param name="CourseId">The course.</param>
/// <param name="WorkerId">The worker (opaque id).</param>
/// <param name="CertificateId">Opaque id of the certificate (its public verification code is not carried).</param>
/// <param name="Kind">Course kind in kebab case, e.g. <c>short-video-editing</c>.</param>
/// <param name="CompletedAt">When the completion rule was met (UTC).</param>
public sealed record CourseCompleted(
    Guid CourseId,
    Guid WorkerId,
    Guid CertificateId,
    string Kind,
    DateTimeOffset CompletedAt);

/// <summary>An organization held a study activity (themed day, double-study session...). Version 1.</summary>
/// <param name="ActivityId">Opaque id of the activity.</param>
/// <param name="OrganizationId">The Party organization that held it.</param>
/// <param name="Kind">Kind in kebab case, e.g. <c>themed-day</c>, <c>double-study</c>.</param>
/// <param name="Attendance">How many attended.</param>
/// <param name="HeldOn">The date it was held (Asia/Shanghai).</param>
public sealed record StudyActivityHeld(
    Guid ActivityId,
    Guid OrganizationId,
    string Kind,
    int Attendance,
    DateOnly HeldOn);

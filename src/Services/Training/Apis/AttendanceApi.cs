using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.Messaging;
using Platform.ServiceDefaults.Security;
using Platform.ServiceDefaults.Validation;
using Platform.Training.Application;
using Platform.Training.Data;
using Platform.Training.Domain;

namespace Platform.Training.Apis;

/// <summary>A learner as staff see them: the name masked, the enrolment id (shown in the learner's app) to mark them present.</summary>
public sealed record LearnerResponse(Guid EnrolmentId, string MaskedName, EnrolmentStatus Status, int? SessionsAttended, DateTimeOffset EnrolledAt);

/// <param name="Present">Enrolment ids of the learners present at the session; replaces what was recorded before.</param>
public sealed record AttendanceRequest(IReadOnlyList<Guid>? Present);

public sealed record AttendanceResponse(Guid SessionId, int PresentCount, IReadOnlyList<Guid> CompletedEnrolmentIds);

public static class AttendanceApi
{
    private static readonly string[] Staff = [PlatformRoles.OrgOfficer, PlatformRoles.CommunityStaff, PlatformRoles.Operator];

    public static IEndpointRouteBuilder MapAttendanceApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/courses/{id:guid}").WithTags("Attendance").RequireRoles(Staff);
        group.MapGet("/learners", Learners)
            .WithName("ListLearners")
            .WithSummary("The course's learners (masked names), seats first, then the waitlist in order")
            .WithDescription("Filter by status (enrolled, waitlisted, cancelled, completed).");
        group.MapPut("/sessions/{sessionId:guid}/attendance", Record)
            .WithName("RecordAttendance")
            .WithSummary("Record who was present at a session")
            .WithDescription("Replaces the session's attendance with the listed enrolments (seated learners only; the session must have started). Learners who now meet the completion rule complete the course, get a certificate and CourseCompleted is published. A certificate once issued stays.");
        return app;
    }

    internal static async Task<Results<Ok<Page<LearnerResponse>>, ValidationProblem, NotFound>> Learners(
        Guid id, TrainingDb db, [AsParameters] PageQuery paging, string? status, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var statusFilter = KebabEnum.Filter<EnrolmentStatus>(status, "status", errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        if (!await db.Courses.AnyAsync(c => c.Id == id, ct))
        {
            return TypedResults.NotFound();
        }
        var query = db.Enrolments.AsNoTracking().Where(e => e.CourseId == id);
        if (statusFilter is not null) { query = query.Where(e => e.Status == statusFilter); }
        var page = await query
            .OrderBy(e => e.Status == EnrolmentStatus.Waitlisted ? 1 : e.Status == EnrolmentStatus.Cancelled ? 2 : 0)
            .ThenBy(e => e.EnrolledAt).ThenBy(e => e.Id)
            .Select(e => new { Enrolment = e, Attended = db.Attendances.Count(a => a.EnrolmentId == e.Id) })
            .ToPageAsync(paging, ct);
        return TypedResults.Ok(page.Map(r => new LearnerResponse(
            r.Enrolment.Id, Mask.Name(r.Enrolment.NameOnCertificate), r.Enrolment.Status,
            r.Enrolment.HoldsSeat ? r.Attended : null, r.Enrolment.EnrolledAt)));
    }

    internal static async Task<Results<Ok<AttendanceResponse>, ValidationProblem, NotFound, ProblemHttpResult>> Record(
        Guid id, Guid sessionId, AttendanceRequest request, TrainingDb db, TimeProvider clock, TrainingTelemetry telemetry, CancellationToken ct)
    {
        using var activity = TrainingTelemetry.Activities.StartActivity("training.attendance");
        if (request.Present is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["present"] = ["present is required (an empty list when nobody came)."] });
        }
        var now = clock.GetUtcNow();
        CourseKind? kind = null;
        var result = await Seats.InTransactionAsync<Results<Ok<AttendanceResponse>, ValidationProblem, NotFound, ProblemHttpResult>>(db, async () =>
        {
            // Serializes with enrolment changes and with other attendance on this course, so nobody completes twice.
            await Seats.LockCourseAsync(db, id, ct);
            var course = await db.Courses.AsNoTracking().Include(c => c.Sessions).FirstOrDefaultAsync(c => c.Id == id, ct);
            var session = course?.Sessions.FirstOrDefault(s => s.Id == sessionId);
            if (course is null || session is null)
            {
                return (TypedResults.NotFound(), false);
            }
            if (session.StartsAt > now)
            {
                return (Refusal.Conflict("This session has not started yet.", "Attendance is recorded once a session has begun.").ToProblem(), false);
            }
            var seated = await db.Enrolments
                .Where(e => e.CourseId == id && (e.Status == EnrolmentStatus.Enrolled || e.Status == EnrolmentStatus.Completed))
                .ToDictionaryAsync(e => e.Id, ct);
            var present = request.Present.Distinct().ToHashSet();
            var unknown = present.Where(p => !seated.ContainsKey(p)).ToList();
            if (unknown.Count > 0)
            {
                return (TypedResults.ValidationProblem(new Dictionary<string, string[]>
                {
                    ["present"] = [$"Not seated learners of this course: {string.Join(", ", unknown)}."],
                }), false);
            }
            var recorded = await db.Attendances.Where(a => a.SessionId == sessionId).ToListAsync(ct);
            db.Attendances.RemoveRange(recorded.Where(a => !present.Contains(a.EnrolmentId)));
            var already = recorded.Select(a => a.EnrolmentId).ToHashSet();
            db.Attendances.AddRange(present.Where(p => !already.Contains(p)).Select(p => new Attendance(sessionId, p, now)));
            await db.SaveChangesAsync(ct);

            var sessionIds = course.Sessions.Select(s => s.Id).ToList();
            var attended = await db.Attendances.Where(a => sessionIds.Contains(a.SessionId))
                .GroupBy(a => a.EnrolmentId).Select(g => new { EnrolmentId = g.Key, Count = g.Count() })
                .ToDictionaryAsync(x => x.EnrolmentId, x => x.Count, ct);
            var completed = new List<Guid>();
            foreach (var enrolment in seated.Values.Where(e => e.Status == EnrolmentStatus.Enrolled))
            {
                if (course.IsCompletedBy(attended.GetValueOrDefault(enrolment.Id)))
                {
                    enrolment.Complete(now);
                    var certificate = Certificate.Issue(course, enrolment, now);
                    db.Certificates.Add(certificate);
                    db.Notices.Add(Notice.Completed(enrolment, course, certificate));
                    db.Publish(certificate.ToEvent(), clock);
                    completed.Add(enrolment.Id);
                }
            }
            await db.SaveChangesAsync(ct);
            kind = course.Kind;
            return (TypedResults.Ok(new AttendanceResponse(sessionId, present.Count, completed)), true);
        }, ct);
        if (result.Result is Ok<AttendanceResponse> { Value: { } recorded } && kind is { } courseKind)
        {
            activity?.SetTag("training.course.kind", KebabEnum.Name(courseKind));
            activity?.SetTag("training.completions", recorded.CompletedEnrolmentIds.Count);
            telemetry.Completed(courseKind, recorded.CompletedEnrolmentIds.Count);
        }
        return result;
    }
}

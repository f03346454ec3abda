using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.Security;
using Platform.ServiceDefaults.Validation;
using Platform.Training.Application;
using Platform.Training.Data;
using Platform.Training.Domain;

namespace Platform.Training.Apis;

/// <param name="NameOnCertificate">The name to print on the certificate (stored encrypted; shown masked to anyone but the learner).</param>
public sealed record EnrolRequest(string? NameOnCertificate);

/// <summary>The learner's own view of their place.</summary>
public sealed record EnrolmentResponse(
    Guid Id, Guid CourseId, string CourseTitle, EnrolmentStatus Status, int? WaitlistPosition, string NameOnCertificate,
    DateTimeOffset EnrolledAt, DateTimeOffset? PromotedAt, DateTimeOffset? CancelledAt, DateTimeOffset? CompletedAt);

public static class EnrolmentsApi
{
    public static IEndpointRouteBuilder MapEnrolmentsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/courses/{id:guid}/enrolments", Enrol)
            .WithTags("Enrolments")
            .RequireRoles(PlatformRoles.Worker)
            .AcceptsIdempotencyKey()
            .WithName("Enrol")
            .WithSummary("Enrol in a course (or join its waitlist when full)")
            .WithDescription("The signed-in worker takes a seat, or joins the waitlist when the course is full (201 either way; status says which). Refused with 409 when the worker already has a place on the course, holds a seat in a course with an overlapping session, or the course has begun.");

        var me = app.MapGroup("/me").WithTags("Enrolments").RequireRoles(PlatformRoles.Worker);
        me.MapGet("/enrolments", MyEnrolments)
            .WithName("ListMyEnrolments")
            .WithSummary("My enrolments, newest first");
        me.MapDelete("/enrolments/{id:guid}", Cancel)
            .WithName("CancelMyEnrolment")
            .WithSummary("Cancel my seat or waitlist place")
            .WithDescription("A freed seat goes to the first waiting learner who holds no overlapping seat; they are told in their notices.");
        me.MapGet("/notices", MyNotices)
            .WithName("ListMyNotices")
            .WithSummary("What the platform told me (a seat freed up, a course completed), newest first");
        return app;
    }

    internal static async Task<Results<Created<EnrolmentResponse>, ValidationProblem, NotFound, ProblemHttpResult>> Enrol(
        Guid id, EnrolRequest request, ClaimsPrincipal user, TrainingDb db, TimeProvider clock, TrainingTelemetry telemetry, CancellationToken ct)
    {
        var workerId = user.WorkerId()!.Value;
        var nameErrors = Enrolment.ValidateName(request.NameOnCertificate, out var name);
        if (nameErrors.Any)
        {
            return TypedResults.ValidationProblem(nameErrors.ToDictionary());
        }
        using var activity = TrainingTelemetry.Activities.StartActivity("training.enrol");
        var now = clock.GetUtcNow();
        var result = await Seats.InTransactionAsync<Results<Created<EnrolmentResponse>, ValidationProblem, NotFound, ProblemHttpResult>>(db, async () =>
        {
            await Seats.LockWorkerAsync(db, workerId, ct);
            var course = await db.Courses.AsNoTracking().Include(c => c.Sessions).FirstOrDefaultAsync(c => c.Id == id, ct);
            if (course is null)
            {
                return (TypedResults.NotFound(), false);
            }
            if (course.HasBegun(now))
            {
                return (Refusal.Conflict("Enrolment has closed.", "The course's first session has started.").ToProblem(), false);
            }
            if (await db.Enrolments.AnyAsync(e => e.CourseId == id && e.WorkerId == workerId && e.Status != EnrolmentStatus.Cancelled, ct))
            {
                return (Refusal.Conflict("You already have a place on this course.", "See your enrolments; cancel it first to enrol again.").ToProblem(), false);
            }
            if (course.OverlapsAny(await Seats.HeldSessionsAsync(db, workerId, id, now, ct)))
            {
                return (Refusal.Conflict("This course overlaps a course you hold a seat in.", "A worker cannot hold seats in two courses whose sessions overlap.").ToProblem(), false);
            }
            await Seats.LockCourseAsync(db, id, ct);
            var seated = await Seats.TryTakeAsync(db, id, ct);
            // Timed after the seat decision: the course row lock orders the decisions, so this time orders the
            // waitlist the same way (a time from before the lock could put a later decision ahead in line).
            var enrolment = Enrolment.Create(id, workerId, name, seated, clock.GetUtcNow());
            db.Enrolments.Add(enrolment);
            await db.SaveChangesAsync(ct);
            var position = seated ? (int?)null : await WaitlistPositionAsync(db, enrolment, ct);
            return (TypedResults.Created($"/me/enrolments/{enrolment.Id}", Response(enrolment, course.Title, position)), true);
        }, ct);
        if (result.Result is Created<EnrolmentResponse> { Value: { } enrolled })
        {
            activity?.SetTag("training.enrolment.status", KebabEnum.Name(enrolled.Status));
            telemetry.Enrolled(enrolled.Status);
        }
        return result;
    }

    internal static async Task<Results<NoContent, NotFound, ProblemHttpResult>> Cancel(
        Guid id, ClaimsPrincipal user, TrainingDb db, TimeProvider clock, CancellationToken ct)
    {
        var workerId = user.WorkerId()!.Value;
        var now = clock.GetUtcNow();
        return await Seats.InTransactionAsync<Results<NoContent, NotFound, ProblemHttpResult>>(db, async () =>
        {
            // Another worker's enrolment is "not found", exactly like one that does not exist.
            var courseId = await db.Enrolments.Where(e => e.Id == id && e.WorkerId == workerId).Select(e => (Guid?)e.CourseId).FirstOrDefaultAsync(ct);
            if (courseId is null)
            {
                return (TypedResults.NotFound(), false);
            }
            await Seats.LockCourseAsync(db, courseId.Value, ct);
            var enrolment = await db.Enrolments.FirstAsync(e => e.Id == id, ct);
            if (!enrolment.CanCancel)
            {
                return (Refusal.Conflict($"A {KebabEnum.Name(enrolment.Status)} enrolment cannot be cancelled.").ToProblem(), false);
            }
            var heldSeat = enrolment.HoldsSeat;
            enrolment.Cancel(now);
            if (heldSeat)
            {
                var course = await db.Courses.Include(c => c.Sessions).FirstAsync(c => c.Id == courseId, ct);
                await Seats.PassOnAsync(db, course, now, ct);
            }
            await db.SaveChangesAsync(ct);
            return (TypedResults.NoContent(), true);
        }, ct);
    }

    internal static async Task<Results<Ok<Page<EnrolmentResponse>>, ValidationProblem>> MyEnrolments(
        ClaimsPrincipal user, TrainingDb db, [AsParameters] PageQuery paging, CancellationToken ct)
    {
        var workerId = user.WorkerId()!.Value;
        var page = await db.Enrolments.AsNoTracking().Where(e => e.WorkerId == workerId)
            .Join(db.Courses, e => e.CourseId, c => c.Id, (e, c) => new { Enrolment = e, c.Title })
            .OrderByDescending(x => x.Enrolment.EnrolledAt).ThenBy(x => x.Enrolment.Id)
            .ToPageAsync(paging, ct);
        var items = new List<EnrolmentResponse>(page.Items.Count);
        foreach (var row in page.Items)
        {
            // Few of a worker's enrolments wait for a seat; each one's place in its course's queue is counted.
            var position = row.Enrolment.Status == EnrolmentStatus.Waitlisted ? await WaitlistPositionAsync(db, row.Enrolment, ct) : (int?)null;
            items.Add(Response(row.Enrolment, row.Title, position));
        }
        return TypedResults.Ok(page.With(items));
    }

    public sealed record NoticeResponse(Guid Id, NoticeKind Kind, Guid CourseId, Guid EnrolmentId, string Text, DateTimeOffset CreatedAt);

    internal static async Task<Results<Ok<Page<NoticeResponse>>, ValidationProblem>> MyNotices(
        ClaimsPrincipal user, TrainingDb db, [AsParameters] PageQuery paging, CancellationToken ct)
    {
        var workerId = user.WorkerId()!.Value;
        var query = db.Notices.AsNoTracking().Where(n => n.WorkerId == workerId);
        return TypedResults.Ok(await query.OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id)
            .Select(n => new NoticeResponse(n.Id, n.Kind, n.CourseId, n.EnrolmentId, n.Text, n.CreatedAt)).ToPageAsync(paging, ct));
    }

    private static async Task<int> WaitlistPositionAsync(TrainingDb db, Enrolment enrolment, CancellationToken ct) =>
        1 + await db.Enrolments.CountAsync(e => e.CourseId == enrolment.CourseId && e.Status == EnrolmentStatus.Waitlisted
                                                && e.EnrolledAt < enrolment.EnrolledAt, ct);

    private static EnrolmentResponse Response(Enrolment e, string courseTitle, int? position) => new(
        e.Id, e.CourseId, courseTitle, e.Status, position, e.NameOnCertificate, e.EnrolledAt, e.PromotedAt, e.CancelledAt, e.CompletedAt);
}

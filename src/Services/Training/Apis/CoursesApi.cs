using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.Messaging;
using Platform.ServiceDefaults.Security;
using Platform.Training.Data;
using Platform.Training.Domain;
using Platform.ServiceDefaults.Time;

namespace Platform.Training.Apis;

public sealed record CreateCourseRequest(
    string? Title, CourseKind? Kind, ProviderKind? Provider, string? ProviderName, Delivery? Delivery, Guid? StationId,
    string? Address, int? Capacity, int? CompletionPercent, Guid? ProgrammeId, IReadOnlyList<SessionTimes>? Sessions);

/// <summary>A session's times in Asia/Shanghai (+08:00).</summary>
public sealed record SessionResponse(Guid Id, DateTimeOffset StartsAt, DateTimeOffset EndsAt);

public sealed record VenueSummary(Guid StationId, string Name, string District, double Latitude, double Longitude, bool IsOpen);

public sealed record CourseResponse(
    Guid Id, string Title, CourseKind Kind, ProviderKind Provider, string ProviderName, Delivery Delivery, VenueSummary? Station,
    string? Address, int Capacity, int SeatsLeft, int CompletionPercent, int SessionsRequired, Guid? ProgrammeId,
    IReadOnlyList<SessionResponse> Sessions)
{
    public static CourseResponse From(Course c, Venue? venue) => new(
        c.Id, c.Title, c.Kind, c.Provider, c.ProviderName, c.Delivery, venue is null ? null : VenueSummaryOf(venue), c.Address,
        c.Capacity, c.SeatsLeft, c.CompletionPercent, c.SessionsRequired, c.ProgrammeId,
        [.. c.Sessions.OrderBy(s => s.StartsAt).Select(s => new SessionResponse(s.Id, s.StartsAt.ToCityTime(), s.EndsAt.ToCityTime()))]);

    public static VenueSummary VenueSummaryOf(Venue v) => new(v.Id, v.Name, v.District, v.Latitude, v.Longitude, v.IsOpen);
}

public sealed record CourseSummary(
    Guid Id, string Title, CourseKind Kind, ProviderKind Provider, string ProviderName, Delivery Delivery, Guid? StationId,
    string? Address, int Capacity, int SeatsLeft, DateTimeOffset FirstSessionAt, int SessionCount);

public static class CoursesApi
{
    public static RouteGroupBuilder MapCoursesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/courses").WithTags("Courses")
            // Anyone signed in browses courses; officers and operators put them on.
            .RequireAuthorization();
        group.MapPost("/", Create)
            .RequireRoles(PlatformRoles.OrgOfficer, PlatformRoles.Operator)
            .AcceptsIdempotencyKey()
            .WithName("CreateCourse")
            .WithSummary("Put on a course")
            .WithDescription("A study or free vocational course with its sessions (give times with their offset; they are answered in Asia/Shanghai), online, at a red station known from the stations service, or at an address. completionPercent (default 80) of the sessions must be attended to complete.");
        group.MapGet("/", List)
            .WithName("ListCourses")
            .WithSummary("Find courses")
            .WithDescription("Pages through courses, soonest first; filter by kind, delivery, station, programme, and the window the first session starts in (startsFrom/startsBefore) to find one that fits a shift.");
        group.MapGet("/{id:guid}", Get)
            .WithName("GetCourse")
            .WithSummary("One course with its sessions and seats left");
        return group;
    }

    internal static async Task<Results<Created<CourseResponse>, ValidationProblem>> Create(
        CreateCourseRequest request, TrainingDb db, TimeProvider clock, CancellationToken ct)
    {
        var created = Course.Create(request.Title, request.Kind, request.Provider, request.ProviderName, request.Delivery, request.StationId,
            request.Address, request.Capacity, request.CompletionPercent, request.ProgrammeId, request.Sessions, clock.GetUtcNow());
        if (!created.IsValid)
        {
            return TypedResults.ValidationProblem(created.Errors);
        }
        var course = created.Value!;
        var errors = new Dictionary<string, string[]>();
        Venue? venue = null;
        if (course.StationId is { } stationId)
        {
            venue = await db.Venues.AsNoTracking().FirstOrDefaultAsync(v => v.Id == stationId, ct);
            if (venue is not { IsOpen: true })
            {
                errors["stationId"] = ["stationId is not an open red station known to the training service."];
            }
        }
        if (course.ProgrammeId is { } programmeId && !await db.Programmes.AnyAsync(p => p.Id == programmeId, ct))
        {
            errors["programmeId"] = ["programmeId is not a known programme."];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        db.Courses.Add(course);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/courses/{course.Id}", CourseResponse.From(course, venue));
    }

    internal static async Task<Results<Ok<Page<CourseSummary>>, ValidationProblem>> List(
        TrainingDb db, TimeProvider clock, [AsParameters] PageQuery paging, string? kind, string? delivery, Guid? stationId, Guid? programmeId,
        DateTimeOffset? startsFrom, DateTimeOffset? startsBefore, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var kindFilter = KebabEnum.Filter<CourseKind>(kind, "kind", errors);
        var deliveryFilter = KebabEnum.Filter<Delivery>(delivery, "delivery", errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var query = db.Courses.AsNoTracking();
        if (kindFilter is not null) { query = query.Where(c => c.Kind == kindFilter); }
        if (deliveryFilter is not null) { query = query.Where(c => c.Delivery == deliveryFilter); }
        if (stationId is not null) { query = query.Where(c => c.StationId == stationId); }
        if (programmeId is not null) { query = query.Where(c => c.ProgrammeId == programmeId); }
        // Upcoming courses by default: a worker looks for one to join.
        var from = (startsFrom ?? clock.GetUtcNow()).ToUniversalTime();
        query = query.Where(c => c.FirstSessionAt >= from);
        if (startsBefore is not null)
        {
            var before = startsBefore.Value.ToUniversalTime();
            query = query.Where(c => c.FirstSessionAt < before);
        }
        var page = await query.OrderBy(c => c.FirstSessionAt).ThenBy(c => c.Id)
            .Select(c => new CourseSummary(c.Id, c.Title, c.Kind, c.Provider, c.ProviderName, c.Delivery, c.StationId, c.Address,
                c.Capacity, c.Capacity - c.SeatsTaken, c.FirstSessionAt, c.Sessions.Count))
            .ToPageAsync(paging, ct);
        return TypedResults.Ok(page.Map(i => i with { FirstSessionAt = i.FirstSessionAt.ToCityTime() }));
    }

    internal static async Task<Results<Ok<CourseResponse>, NotFound>> Get(Guid id, TrainingDb db, CancellationToken ct)
    {
        var course = await db.Courses.AsNoTracking().Include(c => c.Sessions).FirstOrDefaultAsync(c => c.Id == id, ct);
        if (course is null)
        {
            return TypedResults.NotFound();
        }
        var venue = course.StationId is { } stationId ? await db.Venues.AsNoTracking().FirstOrDefaultAsync(v => v.Id == stationId, ct) : null;
        return TypedResults.Ok(CourseResponse.From(course, venue));
    }
}

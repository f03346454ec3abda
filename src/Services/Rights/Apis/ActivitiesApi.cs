using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Platform.Rights.Data;
using Platform.Rights.Domain;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.Security;
using Platform.ServiceDefaults.Validation;

namespace Platform.Rights.Apis;

public sealed record ScheduleActivityRequest(
    string? Title, ActivityKind? Kind, IReadOnlyList<ActivityPartner>? Partners, DateTimeOffset? ScheduledAt, string? Location, string? District);

public sealed record HeldRequest(int? Participants);

public sealed record ActivityView(
    Guid Id, string Title, ActivityKind Kind, IReadOnlyList<ActivityPartner> Partners, DateTimeOffset ScheduledAt, string Location,
    string? District, ActivityStatus Status, int? Participants, DateTimeOffset? HeldAt, RecordSource Source)
{
    public static ActivityView From(JointActivity a) =>
        new(a.Id, a.Title, a.Kind, a.Partners, a.ScheduledAt, a.Location, a.District, a.Status, a.Participants, a.HeldAt, a.Source);
}

/// <summary>Job fairs, health clinics, socials and visits with HR, the trade union, Red Cross, women's federation, hospitals.</summary>
public static class ActivitiesApi
{
    public static RouteGroupBuilder MapActivitiesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/activities").WithTags("Joint activities");
        group.MapPost("/", Schedule)
            .RequireRoles(PlatformRoles.Supervisor, PlatformRoles.Operator)
            .AcceptsIdempotencyKey()
            .WithName("ScheduleActivity")
            .WithSummary("Schedule a joint activity with partners");
        group.MapGet("/", List)
            .RequireAuthorization()
            .WithName("ListActivities")
            .WithSummary("Joint activities, soonest first")
            .WithDescription("Workers see what is coming; filter by status, kind, district, and a time window (from, to).");
        group.MapGet("/{id:guid}", Get)
            .RequireAuthorization()
            .WithName("GetActivity")
            .WithSummary("One joint activity");
        group.MapPost("/{id:guid}/held", Held)
            .RequireRoles(PlatformRoles.Supervisor, PlatformRoles.Operator)
            .WithName("RecordActivityHeld")
            .WithSummary("Record that the activity took place, with the number of participants");
        group.MapPost("/{id:guid}/cancellation", Cancel)
            .RequireRoles(PlatformRoles.Supervisor, PlatformRoles.Operator)
            .WithName("CancelActivity")
            .WithSummary("Cancel a scheduled activity");
        return group;
    }

    internal static async Task<Results<Created<ActivityView>, ValidationProblem>> Schedule(
        ScheduleActivityRequest request, RightsDb db, TimeProvider clock, CancellationToken ct)
    {
        var scheduled = JointActivity.Schedule(request.Title, request.Kind, request.Partners, request.ScheduledAt, request.Location, request.District, clock.GetUtcNow());
        if (!scheduled.IsValid)
        {
            return TypedResults.ValidationProblem(scheduled.Errors);
        }
        db.Activities.Add(scheduled.Value!);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/activities/{scheduled.Value!.Id}", ActivityView.From(scheduled.Value!));
    }

    internal static async Task<Results<Ok<Page<ActivityView>>, ValidationProblem>> List(
        RightsDb db, [AsParameters] PageQuery paging, string? status, string? kind, string? district, DateTimeOffset? from, DateTimeOffset? to, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var statusFilter = KebabEnum.Filter<ActivityStatus>(status, "status", errors);
        var kindFilter = KebabEnum.Filter<ActivityKind>(kind, "kind", errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var query = db.Activities.AsNoTracking();
        if (statusFilter is not null) { query = query.Where(a => a.Status == statusFilter); }
        if (kindFilter is not null) { query = query.Where(a => a.Kind == kindFilter); }
        if (!string.IsNullOrWhiteSpace(district)) { query = query.Where(a => a.District == district); }
        if (from is not null) { var f = from.Value.ToUniversalTime(); query = query.Where(a => a.ScheduledAt >= f); }
        if (to is not null) { var t = to.Value.ToUniversalTime(); query = query.Where(a => a.ScheduledAt <= t); }
        return TypedResults.Ok((await query.OrderBy(a => a.ScheduledAt).ThenBy(a => a.Id).ToPageAsync(paging, ct)).Map(ActivityView.From));
    }

    internal static async Task<Results<Ok<ActivityView>, NotFound>> Get(Guid id, RightsDb db, CancellationToken ct)
    {
        var activity = await db.Activities.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, ct);
        return activity is null ? TypedResults.NotFound() : TypedResults.Ok(ActivityView.From(activity));
    }

    internal static async Task<Results<Ok<ActivityView>, ValidationProblem, ProblemHttpResult, NotFound>> Held(
        Guid id, HeldRequest request, RightsDb db, TimeProvider clock, CancellationToken ct)
    {
        var activity = await db.Activities.FirstOrDefaultAsync(a => a.Id == id, ct);
        if (activity is null)
        {
            return TypedResults.NotFound();
        }
        return await SaveAsync(db, activity, activity.Hold(request.Participants, clock.GetUtcNow()), ct);
    }

    internal static async Task<Results<Ok<ActivityView>, ValidationProblem, ProblemHttpResult, NotFound>> Cancel(Guid id, RightsDb db, CancellationToken ct)
    {
        var activity = await db.Activities.FirstOrDefaultAsync(a => a.Id == id, ct);
        if (activity is null)
        {
            return TypedResults.NotFound();
        }
        return await SaveAsync(db, activity, activity.Cancel(), ct);
    }

    private static async Task<Results<Ok<ActivityView>, ValidationProblem, ProblemHttpResult, NotFound>> SaveAsync(
        RightsDb db, JointActivity activity, Refusal? refused, CancellationToken ct)
    {
        if (refused is not null)
        {
            return refused.ToProblem();
        }
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(ActivityView.From(activity));
    }
}

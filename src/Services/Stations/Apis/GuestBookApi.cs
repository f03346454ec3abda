using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.Security;
using Platform.Stations.Data;
using Platform.Stations.Domain;

namespace Platform.Stations.Apis;

public sealed record WriteMessageRequest(string? Text);

public sealed record ReplyRequest(string? Text);

public sealed record HideRequest(string? Reason);

/// <summary>Mine: Written by the worker asking; authors are never shown to anyone else. HiddenReason: Only shown to the station's staff.</summary>
public sealed record GuestBookMessage(Guid Id, Guid StationId, string Text, DateTimeOffset WrittenAt, string? Reply, DateTimeOffset? RepliedAt, bool Mine, bool Hidden, string? HiddenReason)
{
    public static GuestBookMessage From(GuestBookEntry e, Guid? workerId, bool staff) =>
        new(e.Id, e.StationId, e.Text, e.WrittenAt, e.Reply, e.RepliedAt, workerId == e.WorkerId, e.Hidden, staff ? e.HiddenReason : null);
}

public static class GuestBookApi
{
    public static RouteGroupBuilder MapGuestBookApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/stations/{id:guid}/guest-book").WithTags("Guest book");
        group.MapPost("/", Write)
            .RequireRoles(PlatformRoles.Worker)
            .AcceptsIdempotencyKey()
            .WithName("WriteGuestBookMessage")
            .WithSummary("Write in a station's guest book")
            .WithDescription($"A worker's message (小哥留言簿), at most {GuestBookEntry.TextMaxLength} characters.");
        group.MapGet("/", List)
            .RequireAuthorization()
            .WithName("ListGuestBookMessages")
            .WithSummary("Read a station's guest book")
            .WithDescription("Newest first. Hidden messages are left out, except for the station's staff with `includeHidden=true`.");
        group.MapPost("/{messageId:guid}/reply", Reply)
            .RequireRoles(StationAccess.ManagerRoles)
            .WithName("ReplyToGuestBookMessage")
            .WithSummary("The keeper replies to a message");
        group.MapPost("/{messageId:guid}/hide", Hide)
            .RequireRoles(StationAccess.ManagerRoles)
            .WithName("HideGuestBookMessage")
            .WithSummary("Hide an abusive message")
            .WithDescription("Staff hide it with a reason; it stays on record for them.");
        return group;
    }

    internal static async Task<Results<Created<GuestBookMessage>, ValidationProblem, NotFound, ProblemHttpResult>> Write(
        Guid id, WriteMessageRequest request, ClaimsPrincipal user, StationsDb db, TimeProvider clock, CancellationToken ct)
    {
        var workerId = user.WorkerId();
        if (workerId is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Only workers write in the guest book.");
        }
        var station = await db.Stations.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, ct);
        if (station is null)
        {
            return TypedResults.NotFound();
        }
        if (!station.IsActive)
        {
            return StationsApi.ClosedConflict(station);
        }
        var written = GuestBookEntry.Write(id, workerId.Value, request.Text, clock.GetUtcNow());
        if (!written.IsValid)
        {
            return TypedResults.ValidationProblem(written.Errors);
        }
        db.GuestBook.Add(written.Value!);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/stations/{id}/guest-book/{written.Value!.Id}", GuestBookMessage.From(written.Value!, workerId, staff: false));
    }

    internal static async Task<Results<Ok<Page<GuestBookMessage>>, ValidationProblem, NotFound, ForbidHttpResult>> List(
        Guid id, ClaimsPrincipal user, StationsDb db, [AsParameters] PageQuery paging, bool? includeHidden, CancellationToken ct)
    {
        var staff = user.CanManage(id);
        if (includeHidden == true && !staff)
        {
            return TypedResults.Forbid();
        }
        if (!await db.Stations.AnyAsync(s => s.Id == id, ct))
        {
            return TypedResults.NotFound();
        }
        var query = db.GuestBook.AsNoTracking().Where(e => e.StationId == id);
        if (includeHidden != true)
        {
            query = query.Where(e => !e.Hidden);
        }
        var page = await query.OrderByDescending(e => e.WrittenAt).ThenByDescending(e => e.Id).ToPageAsync(paging, ct);
        var me = user.WorkerId();
        return TypedResults.Ok(page.Map(e => GuestBookMessage.From(e, me, staff)));
    }

    internal static Task<Results<Ok<GuestBookMessage>, ValidationProblem, NotFound, ForbidHttpResult>> Reply(
        Guid id, Guid messageId, ReplyRequest request, ClaimsPrincipal user, StationsDb db, TimeProvider clock, CancellationToken ct) =>
        ChangeAsync(id, messageId, user, db, e => e.ReplyWith(request.Text, clock.GetUtcNow()), ct);

    internal static Task<Results<Ok<GuestBookMessage>, ValidationProblem, NotFound, ForbidHttpResult>> Hide(
        Guid id, Guid messageId, HideRequest request, ClaimsPrincipal user, StationsDb db, TimeProvider clock, CancellationToken ct) =>
        ChangeAsync(id, messageId, user, db, e => e.Hide(request.Reason, clock.GetUtcNow()), ct);

    private static async Task<Results<Ok<GuestBookMessage>, ValidationProblem, NotFound, ForbidHttpResult>> ChangeAsync(
        Guid id, Guid messageId, ClaimsPrincipal user, StationsDb db, Func<GuestBookEntry, Platform.ServiceDefaults.Validation.FieldErrors> change, CancellationToken ct)
    {
        if (!user.CanManage(id))
        {
            return TypedResults.Forbid();
        }
        var entry = await db.GuestBook.FirstOrDefaultAsync(e => e.Id == messageId && e.StationId == id, ct);
        if (entry is null)
        {
            return TypedResults.NotFound();
        }
        var errors = change(entry);
        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(GuestBookMessage.From(entry, null, staff: true));
    }
}

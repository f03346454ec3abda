using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Platform.ServiceDefaults.Data;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.Messaging;
using Platform.ServiceDefaults.Security;
using Platform.ServiceDefaults.Validation;
using Platform.Volunteers.Data;
using Platform.Volunteers.Domain;

namespace Platform.Volunteers.Apis;

public sealed record ReportInRequest(Guid? CommunityId);

public sealed record DeclineRequest(string? Reason);

/// <summary>A report-in as the worker sees it.</summary>
public sealed record ReportInView(Guid Id, Guid CommunityId, string CommunityName, ReportInStatus Status, DateTimeOffset RequestedAt, DateTimeOffset? DecidedAt, string? DeclineReason, DateTimeOffset? EndedAt);

/// <summary>A report-in as community staff see it: the worker masked.</summary>
public sealed record ReportInForStaff(Guid Id, Guid CommunityId, ReportInStatus Status, DateTimeOffset RequestedAt, DateTimeOffset? DecidedAt, WorkerSummary Worker);

public static class ReportInsApi
{
    public static IEndpointRouteBuilder MapReportInsApi(this IEndpointRouteBuilder app)
    {
        var mine = app.MapGroup("/workers/me/report-ins").WithTags("Report-ins").RequireRoles(PlatformRoles.Worker);
        mine.MapPost("/", Request)
            .AcceptsIdempotencyKey()
            .WithName("RequestReportIn")
            .WithSummary("Report in to a community")
            .WithDescription("The worker asks to report in (报到) to the community where they work; the community's staff confirm or decline. One pending request at a time.");
        mine.MapGet("/", ListMine)
            .WithName("ListMyReportIns")
            .WithSummary("My report-ins");

        var staff = app.MapGroup("/report-ins").WithTags("Report-ins");
        staff.MapGet("/", List)
            .RequireRoles(PlatformRoles.CommunityStaff, PlatformRoles.OrgOfficer, PlatformRoles.Operator)
            .WithName("ListReportIns")
            .WithSummary("Report-ins of communities (workers masked)")
            .WithDescription("Community staff see their own communities' report-ins; filter by community and status (e.g. pending).");
        staff.MapPost("/{id:guid}/confirm", Confirm)
            .RequireRoles(PlatformRoles.CommunityStaff, PlatformRoles.Operator)
            .WithName("ConfirmReportIn")
            .WithSummary("Confirm a worker's report-in")
            .WithDescription("The community's staff confirm: the worker now serves in this community (an earlier active report-in ends). Publishes WorkerReportedToCommunity.");
        staff.MapPost("/{id:guid}/decline", Decline)
            .RequireRoles(PlatformRoles.CommunityStaff, PlatformRoles.Operator)
            .WithName("DeclineReportIn")
            .WithSummary("Decline a worker's report-in, with a reason");
        return app;
    }

    internal static async Task<Results<Created<ReportInView>, ValidationProblem, ProblemHttpResult>> Request(
        ReportInRequest request, ClaimsPrincipal user, VolunteersDb db, TimeProvider clock, CancellationToken ct)
    {
        if (user.WorkerId() is not { } workerId)
        {
            return WorkersApi.NoWorkerId();
        }
        if (request.CommunityId is not { } communityId)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["communityId"] = ["communityId is required."] });
        }
        var community = await db.Communities.AsNoTracking().FirstOrDefaultAsync(c => c.Id == communityId, ct);
        if (community is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["communityId"] = ["No community with this id is registered."] });
        }
        if (!await db.Workers.AnyAsync(w => w.Id == workerId, ct))
        {
            return WorkersApi.NotRegistered();
        }
        if (await db.ReportIns.AnyAsync(r => r.WorkerId == workerId && r.CommunityId == communityId && r.Status == ReportInStatus.Active, ct))
        {
            return Refusal.Conflict("You already serve in this community.").ToProblem();
        }
        var reportIn = ReportIn.Request(workerId, communityId, clock.GetUtcNow());
        db.ReportIns.Add(reportIn);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            return Refusal.Conflict("You already have a report-in waiting for confirmation.", "Wait until the community confirms or declines it.").ToProblem();
        }
        return TypedResults.Created($"/workers/me/report-ins/{reportIn.Id}", ViewOf(reportIn, community.Name));
    }

    internal static async Task<Results<Ok<Page<ReportInView>>, ValidationProblem, ProblemHttpResult>> ListMine(
        ClaimsPrincipal user, VolunteersDb db, [AsParameters] PageQuery paging, CancellationToken ct)
    {
        if (user.WorkerId() is not { } workerId)
        {
            return WorkersApi.NoWorkerId();
        }
        var query = db.ReportIns.AsNoTracking().Where(r => r.WorkerId == workerId);
        return TypedResults.Ok((await query.OrderByDescending(r => r.RequestedAt)
            .Select(r => new { ReportIn = r, Name = db.Communities.Where(c => c.Id == r.CommunityId).Select(c => c.Name).FirstOrDefault() }).ToPageAsync(paging, ct)).Map(x => ViewOf(x.ReportIn, x.Name ?? "")));
    }

    internal static async Task<Results<Ok<Page<ReportInForStaff>>, ValidationProblem>> List(
        ClaimsPrincipal user, VolunteersDb db, PersonalDataProtector protector, [AsParameters] PageQuery paging,
        Guid? communityId, string? status, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var statusFilter = KebabEnum.Filter<ReportInStatus>(status, "status", errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var query = db.ReportIns.AsNoTracking();
        if (Access.IsCommunityStaffOnly(user))
        {
            var mine = user.CommunityIds().ToList();
            query = query.Where(r => mine.Contains(r.CommunityId));
        }
        if (communityId is { } community)
        {
            query = query.Where(r => r.CommunityId == community);
        }
        if (statusFilter is { } s)
        {
            query = query.Where(r => r.Status == s);
        }
        var page = await query
            .Join(db.Workers, r => r.WorkerId, w => w.Id, (r, w) => new { ReportIn = r, Worker = w })
            .OrderBy(x => x.ReportIn.RequestedAt).ThenBy(x => x.ReportIn.Id)
            .ToPageAsync(paging, ct);
        return TypedResults.Ok(page.Map(x => new ReportInForStaff(x.ReportIn.Id, x.ReportIn.CommunityId, x.ReportIn.Status, x.ReportIn.RequestedAt, x.ReportIn.DecidedAt,
            WorkersApi.SummaryOf(x.Worker, x.ReportIn.Status == ReportInStatus.Active ? x.ReportIn.CommunityId : null, protector))));
    }

    internal static async Task<Results<Ok<ReportInView>, NotFound, ProblemHttpResult>> Confirm(
        Guid id, ClaimsPrincipal user, VolunteersDb db, TimeProvider clock, CancellationToken ct)
    {
        var reportIn = await db.ReportIns.FirstOrDefaultAsync(r => r.Id == id, ct);
        if (reportIn is null || !Access.MayActFor(user, reportIn.CommunityId))
        {
            return TypedResults.NotFound();
        }
        var previous = await db.ReportIns.FirstOrDefaultAsync(r => r.WorkerId == reportIn.WorkerId && r.Status == ReportInStatus.Active, ct);
        var confirmed = reportIn.Confirm(previous, clock.GetUtcNow());
        if (confirmed.Refusal is { } refused)
        {
            return refused.ToProblem();
        }
        db.Publish(confirmed.Value!, clock);
        if (await SaveDecisionAsync(db, ct) is { } conflict)
        {
            return conflict;
        }
        return TypedResults.Ok(ViewOf(reportIn, await CommunityNameAsync(db, reportIn.CommunityId, ct)));
    }

    internal static async Task<Results<Ok<ReportInView>, NotFound, ValidationProblem, ProblemHttpResult>> Decline(
        Guid id, DeclineRequest request, ClaimsPrincipal user, VolunteersDb db, TimeProvider clock, CancellationToken ct)
    {
        var reportIn = await db.ReportIns.FirstOrDefaultAsync(r => r.Id == id, ct);
        if (reportIn is null || !Access.MayActFor(user, reportIn.CommunityId))
        {
            return TypedResults.NotFound();
        }
        var declined = reportIn.Decline(request.Reason, clock.GetUtcNow());
        if (declined.Refusal is { } refused)
        {
            return refused.ToProblem();
        }
        if (await SaveDecisionAsync(db, ct) is { } conflict)
        {
            return conflict;
        }
        return TypedResults.Ok(ViewOf(reportIn, await CommunityNameAsync(db, reportIn.CommunityId, ct)));
    }

    private static async Task<ProblemHttpResult?> SaveDecisionAsync(VolunteersDb db, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return null;
        }
        catch (DbUpdateConcurrencyException)
        {
            return Refusal.Conflict("This report-in was decided by someone else at the same moment.").ToProblem();
        }
    }

    private static async Task<string> CommunityNameAsync(VolunteersDb db, Guid communityId, CancellationToken ct) =>
        await db.Communities.Where(c => c.Id == communityId).Select(c => c.Name).FirstOrDefaultAsync(ct) ?? "";

    private static ReportInView ViewOf(ReportIn r, string communityName) =>
        new(r.Id, r.CommunityId, communityName, r.Status, r.RequestedAt, r.DecidedAt, r.DeclineReason, r.EndedAt);
}

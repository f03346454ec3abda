using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Platform.ServiceDefaults.Data;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.Security;
using Platform.ServiceDefaults.Validation;
using Platform.Volunteers.Data;
using Platform.Volunteers.Domain;

namespace Platform.Volunteers.Apis;

/// <summary>A service log as the worker who logged it sees it.</summary>
public sealed record ServiceLogView(
    Guid Id, Guid CommunityId, string CommunityName, ServiceKind Kind, DateOnly ServedOn, decimal Hours, string? Note, ServiceLogStatus Status,
    DateTimeOffset LoggedAt, DateTimeOffset? DecidedAt, string? DeclineReason);

/// <summary>The worker of a log, masked.</summary>
public sealed record LoggedBy(Guid Id, string Name);

/// <summary>A service log as community staff see it: the worker masked, the note readable so they can judge it.</summary>
public sealed record ServiceLogForStaff(
    Guid Id, Guid CommunityId, ServiceKind Kind, DateOnly ServedOn, decimal Hours, string? Note, ServiceLogStatus Status,
    DateTimeOffset LoggedAt, DateTimeOffset? DecidedAt, string? DeclineReason, LoggedBy Worker);

public static class ServiceLogsApi
{
    public static IEndpointRouteBuilder MapServiceLogsApi(this IEndpointRouteBuilder app)
    {
        var mine = app.MapGroup("/workers/me/service-logs").WithTags("Service log").RequireRoles(PlatformRoles.Worker);
        mine.MapPost("/", Log)
            .AcceptsIdempotencyKey()
            .WithName("LogService")
            .WithSummary("Log volunteer service")
            .WithDescription($"kind (lockdown-delivery, community-patrol, elderly-help, epidemic-prevention, civilised-city-campaign, other: then a note is required), servedOn (a local date within the last {ServiceLog.MaxDaysBack} days), hours (quarter hours, at most {ServiceLog.MaxHoursPerDay} a day in all), the community served, an optional note. The community's staff confirm it; only confirmed hours count.");
        mine.MapGet("/", ListMine)
            .WithName("ListMyServiceLogs")
            .WithSummary("My service logs");
        mine.MapDelete("/{id:guid}", Withdraw)
            .WithName("WithdrawServiceLog")
            .WithSummary("Withdraw a service log the community has not decided yet");

        var staff = app.MapGroup("/service-logs").WithTags("Service log");
        staff.MapGet("/", List)
            .RequireRoles(PlatformRoles.CommunityStaff, PlatformRoles.OrgOfficer, PlatformRoles.Operator)
            .WithName("ListServiceLogs")
            .WithSummary("Service logs of communities (workers masked)")
            .WithDescription("Community staff see the logs of service in their communities. Filter by community, status (e.g. pending), from/to (service dates, inclusive).");
        staff.MapPost("/{id:guid}/confirm", Confirm)
            .RequireRoles(PlatformRoles.CommunityStaff, PlatformRoles.Operator)
            .WithName("ConfirmServiceLog")
            .WithSummary("Confirm a worker's service: the hours count");
        staff.MapPost("/{id:guid}/decline", Decline)
            .RequireRoles(PlatformRoles.CommunityStaff, PlatformRoles.Operator)
            .WithName("DeclineServiceLog")
            .WithSummary("Decline a worker's service log, with a reason");
        return app;
    }

    internal static async Task<Results<Created<ServiceLogView>, ValidationProblem, ProblemHttpResult>> Log(
        ServiceLogDetails request, ClaimsPrincipal user, VolunteersDb db, PersonalDataProtector protector, TimeProvider clock, CancellationToken ct)
    {
        if (user.WorkerId() is not { } workerId)
        {
            return WorkersApi.NoWorkerId();
        }
        // The worker's row is locked so that two logs sent at once cannot together pass the hours-per-day cap.
        await using var tx = await db.Database.BeginOrJoinTransactionAsync(ct);
        var registered = await db.Database.SqlQuery<Guid>($"SELECT \"Id\" AS \"Value\" FROM workers WHERE \"Id\" = {workerId} FOR UPDATE").ToListAsync(ct);
        if (registered.Count == 0)
        {
            return WorkersApi.NotRegistered();
        }
        var community = request.CommunityId is { } communityId
            ? await db.Communities.AsNoTracking().FirstOrDefaultAsync(c => c.Id == communityId, ct)
            : null;
        var sameDay = request.ServedOn is { } servedOn
            ? await db.ServiceLogs.Where(l => l.WorkerId == workerId && l.ServedOn == servedOn && l.Status != ServiceLogStatus.Declined).SumAsync(l => l.Hours, ct)
            : 0m;
        var logged = ServiceLog.Record(workerId, request, community is not null, sameDay, protector, clock.GetUtcNow());
        if (!logged.IsValid)
        {
            return TypedResults.ValidationProblem(logged.Errors);
        }
        db.ServiceLogs.Add(logged.Value!);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return TypedResults.Created($"/workers/me/service-logs/{logged.Value!.Id}", ViewOf(logged.Value, community!.Name, protector));
    }

    internal static async Task<Results<Ok<Page<ServiceLogView>>, ValidationProblem, ProblemHttpResult>> ListMine(
        ClaimsPrincipal user, VolunteersDb db, PersonalDataProtector protector, [AsParameters] PageQuery paging, string? status, CancellationToken ct)
    {
        if (user.WorkerId() is not { } workerId)
        {
            return WorkersApi.NoWorkerId();
        }
        var errors = new Dictionary<string, string[]>();
        var statusFilter = ParseStatus(status, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var query = db.ServiceLogs.AsNoTracking().Where(l => l.WorkerId == workerId);
        if (statusFilter is { } s)
        {
            query = query.Where(l => l.Status == s);
        }
        return TypedResults.Ok((await query.OrderByDescending(l => l.ServedOn).ThenByDescending(l => l.LoggedAt)
            .Select(l => new { Log = l, Name = db.Communities.Where(c => c.Id == l.CommunityId).Select(c => c.Name).FirstOrDefault() }).ToPageAsync(paging, ct)).Map(x => ViewOf(x.Log, x.Name ?? "", protector)));
    }

    internal static async Task<Results<NoContent, NotFound, ProblemHttpResult>> Withdraw(Guid id, ClaimsPrincipal user, VolunteersDb db, CancellationToken ct)
    {
        if (user.WorkerId() is not { } workerId)
        {
            return WorkersApi.NoWorkerId();
        }
        var log = await db.ServiceLogs.FirstOrDefaultAsync(l => l.Id == id && l.WorkerId == workerId, ct);
        if (log is null)
        {
            return TypedResults.NotFound();
        }
        var withdrawn = log.Withdraw();
        if (withdrawn.Refusal is { } refused)
        {
            return refused.ToProblem();
        }
        db.ServiceLogs.Remove(log);
        if (await SaveDecisionAsync(db, ct) is { } conflict)
        {
            return conflict;
        }
        return TypedResults.NoContent();
    }

    internal static async Task<Results<Ok<Page<ServiceLogForStaff>>, ValidationProblem>> List(
        ClaimsPrincipal user, VolunteersDb db, PersonalDataProtector protector, [AsParameters] PageQuery paging,
        Guid? communityId, string? status, DateOnly? from, DateOnly? to, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var statusFilter = ParseStatus(status, errors);
        foreach (var (field, messages) in Problems.Period(from, to))
        {
            errors[field] = messages;
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var query = InReach(db.ServiceLogs.AsNoTracking(), user);
        if (communityId is { } community)
        {
            query = query.Where(l => l.CommunityId == community);
        }
        if (statusFilter is { } s)
        {
            query = query.Where(l => l.Status == s);
        }
        query = InPeriod(query, from, to);
        var page = await query
            .Join(db.Workers, l => l.WorkerId, w => w.Id, (l, w) => new { Log = l, Worker = w })
            .OrderBy(x => x.Log.ServedOn).ThenBy(x => x.Log.LoggedAt).ThenBy(x => x.Log.Id)
            .ToPageAsync(paging, ct);
        return TypedResults.Ok(page.Map(x => new ServiceLogForStaff(x.Log.Id, x.Log.CommunityId, x.Log.Kind, x.Log.ServedOn, x.Log.Hours, x.Log.Note(protector),
            x.Log.Status, x.Log.LoggedAt, x.Log.DecidedAt, x.Log.DeclineReason, new LoggedBy(x.Worker.Id, x.Worker.Masked(protector).Name))));
    }

    internal static async Task<Results<Ok<ServiceLogForStaff>, NotFound, ValidationProblem, ProblemHttpResult>> Confirm(
        Guid id, ClaimsPrincipal user, VolunteersDb db, PersonalDataProtector protector, TimeProvider clock, CancellationToken ct)
    {
        var log = await db.ServiceLogs.FirstOrDefaultAsync(l => l.Id == id, ct);
        if (log is null || !Access.MayActFor(user, log.CommunityId))
        {
            return TypedResults.NotFound();
        }
        return await DecideAsync(log, log.Confirm(user.SubjectId(), clock.GetUtcNow()), db, protector, ct);
    }

    internal static async Task<Results<Ok<ServiceLogForStaff>, NotFound, ValidationProblem, ProblemHttpResult>> Decline(
        Guid id, DeclineRequest request, ClaimsPrincipal user, VolunteersDb db, PersonalDataProtector protector, TimeProvider clock, CancellationToken ct)
    {
        var log = await db.ServiceLogs.FirstOrDefaultAsync(l => l.Id == id, ct);
        if (log is null || !Access.MayActFor(user, log.CommunityId))
        {
            return TypedResults.NotFound();
        }
        return await DecideAsync(log, log.Decline(request.Reason, user.SubjectId(), clock.GetUtcNow()), db, protector, ct);
    }

    private static async Task<Results<Ok<ServiceLogForStaff>, NotFound, ValidationProblem, ProblemHttpResult>> DecideAsync(
        ServiceLog log, Outcome<ServiceLog> decided, VolunteersDb db, PersonalDataProtector protector, CancellationToken ct)
    {
        if (decided.Refusal is { } refused)
        {
            return refused.ToProblem();
        }
        if (await SaveDecisionAsync(db, ct) is { } conflict)
        {
            return conflict;
        }
        var worker = await db.Workers.AsNoTracking().FirstAsync(w => w.Id == log.WorkerId, ct);
        return TypedResults.Ok(new ServiceLogForStaff(log.Id, log.CommunityId, log.Kind, log.ServedOn, log.Hours, log.Note(protector), log.Status,
            log.LoggedAt, log.DecidedAt, log.DeclineReason, new LoggedBy(worker.Id, worker.Masked(protector).Name)));
    }

    /// <summary>Community staff reach the logs of service in their communities; officers and operators all.</summary>
    internal static IQueryable<ServiceLog> InReach(IQueryable<ServiceLog> logs, ClaimsPrincipal user)
    {
        if (!Access.IsCommunityStaffOnly(user))
        {
            return logs;
        }
        var mine = user.CommunityIds().ToList();
        return logs.Where(l => mine.Contains(l.CommunityId));
    }

    internal static IQueryable<ServiceLog> InPeriod(IQueryable<ServiceLog> logs, DateOnly? from, DateOnly? to)
    {
        if (from is { } f)
        {
            logs = logs.Where(l => l.ServedOn >= f);
        }
        if (to is { } t)
        {
            logs = logs.Where(l => l.ServedOn <= t);
        }
        return logs;
    }

    private static ServiceLogStatus? ParseStatus(string? status, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(status))
        {
            return null;
        }
        if (KebabEnum.TryParse<ServiceLogStatus>(status, out var parsed))
        {
            return parsed;
        }
        errors["status"] = [$"status must be one of {KebabEnum.Names<ServiceLogStatus>()}."];
        return null;
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
            return Refusal.Conflict("This service log was decided or withdrawn at the same moment.").ToProblem();
        }
    }

    private static ServiceLogView ViewOf(ServiceLog l, string communityName, PersonalDataProtector protector) =>
        new(l.Id, l.CommunityId, communityName, l.Kind, l.ServedOn, l.Hours, l.Note(protector), l.Status, l.LoggedAt, l.DecidedAt, l.DeclineReason);
}

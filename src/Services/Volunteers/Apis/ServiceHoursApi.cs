using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.Security;
using Platform.ServiceDefaults.Validation;
using Platform.Volunteers.Data;
using Platform.Volunteers.Domain;

namespace Platform.Volunteers.Apis;

public sealed record MyServiceHours(decimal Confirmed, decimal Pending, IReadOnlyDictionary<string, decimal> ConfirmedByKind, DateOnly? From, DateOnly? To);

public sealed record WorkerHours(Guid WorkerId, string Name, decimal Hours, long Logs);

public sealed record TeamHours(Guid TeamId, string Name, Guid CommunityId, bool Active, decimal Hours);

public sealed record CommunityHours(Guid CommunityId, string Name, string District, decimal Hours, long Workers);

/// <summary>
/// Confirmed service hours summed per worker, team and community for a period (service dates, inclusive, local).
/// A team counts its members' hours on the days they were members (from the day they joined until the day before they left).
/// </summary>
public static class ServiceHoursApi
{
    public static IEndpointRouteBuilder MapServiceHoursApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/workers/me/service-hours", Mine)
            .RequireRoles(PlatformRoles.Worker)
            .WithTags("Service log")
            .WithName("MyServiceHours")
            .WithSummary("My service hours: confirmed (by kind) and waiting")
            .WithDescription("from/to are local service dates, inclusive, both optional.");
        var group = app.MapGroup("/service-hours").WithTags("Service log")
            .RequireRoles(PlatformRoles.CommunityStaff, PlatformRoles.OrgOfficer, PlatformRoles.Operator);
        group.MapGet("/workers", PerWorker)
            .WithName("ServiceHoursPerWorker")
            .WithSummary("Confirmed hours per worker (masked), most first")
            .WithDescription("Community staff count service in their communities only. Filter by community; from/to are local service dates, inclusive.");
        group.MapGet("/teams", PerTeam)
            .WithName("ServiceHoursPerTeam")
            .WithSummary("Confirmed hours per vanguard team, most first")
            .WithDescription("A member's hours count for a team on the days they were in it. Community staff see their communities' teams.");
        group.MapGet("/communities", PerCommunity)
            .WithName("ServiceHoursPerCommunity")
            .WithSummary("Confirmed hours per community served, most first");
        return app;
    }

    internal static async Task<Results<Ok<MyServiceHours>, ValidationProblem, ProblemHttpResult>> Mine(
        ClaimsPrincipal user, VolunteersDb db, DateOnly? from, DateOnly? to, CancellationToken ct)
    {
        if (user.WorkerId() is not { } workerId)
        {
            return WorkersApi.NoWorkerId();
        }
        var errors = Problems.Period(from, to);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var logs = ServiceLogsApi.InPeriod(db.ServiceLogs.Where(l => l.WorkerId == workerId), from, to);
        var sums = await logs.Where(l => l.Status != ServiceLogStatus.Declined)
            .GroupBy(l => new { l.Status, l.Kind })
            .Select(g => new { g.Key.Status, g.Key.Kind, Hours = g.Sum(l => l.Hours) })
            .ToListAsync(ct);
        var confirmed = sums.Where(s => s.Status == ServiceLogStatus.Confirmed).ToList();
        return TypedResults.Ok(new MyServiceHours(
            confirmed.Sum(s => s.Hours),
            sums.Where(s => s.Status == ServiceLogStatus.Pending).Sum(s => s.Hours),
            confirmed.ToDictionary(s => KebabEnum.Name(s.Kind), s => s.Hours),
            from, to));
    }

    internal static async Task<Results<Ok<Page<WorkerHours>>, ValidationProblem>> PerWorker(
        ClaimsPrincipal user, VolunteersDb db, PersonalDataProtector protector, [AsParameters] PageQuery paging,
        Guid? communityId, DateOnly? from, DateOnly? to, CancellationToken ct)
    {
        if (Invalid(from, to) is { } invalid)
        {
            return invalid;
        }
        var logs = Confirmed(db, user, communityId, from, to);
        var page = await logs.GroupBy(l => l.WorkerId).Select(g => new { WorkerId = g.Key, Hours = g.Sum(l => l.Hours), Logs = g.LongCount() })
            .OrderByDescending(x => x.Hours).ThenBy(x => x.WorkerId)
            .ToPageAsync(paging, ct);
        // The page's workers in one query (their names are masked for the answer).
        var ids = page.Items.Select(x => x.WorkerId).ToList();
        var workers = await db.Workers.AsNoTracking().Where(w => ids.Contains(w.Id)).ToDictionaryAsync(w => w.Id, ct);
        return TypedResults.Ok(page.Map(x => new WorkerHours(x.WorkerId, workers.GetValueOrDefault(x.WorkerId)?.Masked(protector).Name ?? "", x.Hours, x.Logs)));
    }

    internal static async Task<Results<Ok<Page<TeamHours>>, ValidationProblem>> PerTeam(
        ClaimsPrincipal user, VolunteersDb db, [AsParameters] PageQuery paging, Guid? communityId, DateOnly? from, DateOnly? to, CancellationToken ct)
    {
        if (Invalid(from, to) is { } invalid)
        {
            return invalid;
        }
        var teams = db.VanguardTeams.AsNoTracking();
        if (Access.IsCommunityStaffOnly(user))
        {
            var mine = user.CommunityIds().ToList();
            teams = teams.Where(t => mine.Contains(t.CommunityId));
        }
        if (communityId is { } community)
        {
            teams = teams.Where(t => t.CommunityId == community);
        }
        // Hours anywhere count for the team (a member may serve in a neighbouring community), on membership days only.
        var logs = ServiceLogsApi.InPeriod(db.ServiceLogs.Where(l => l.Status == ServiceLogStatus.Confirmed), from, to);
        var withHours = teams.Select(t => new
        {
            Team = t,
            Hours = logs.Where(l => db.VanguardMemberships.Any(m => m.TeamId == t.Id && m.WorkerId == l.WorkerId
                    && m.JoinedOn <= l.ServedOn && (m.LeftOn == null || l.ServedOn < m.LeftOn)))
                .Sum(l => (decimal?)l.Hours) ?? 0m,
        });
        var page = await withHours.OrderByDescending(x => x.Hours).ThenBy(x => x.Team.FormedAt).ThenBy(x => x.Team.Id)
            .ToPageAsync(paging, ct);
        return TypedResults.Ok(page.Map(x => new TeamHours(x.Team.Id, x.Team.Name, x.Team.CommunityId, x.Team.DissolvedAt == null, x.Hours)));
    }

    internal static async Task<Results<Ok<Page<CommunityHours>>, ValidationProblem>> PerCommunity(
        ClaimsPrincipal user, VolunteersDb db, [AsParameters] PageQuery paging, DateOnly? from, DateOnly? to, CancellationToken ct)
    {
        if (Invalid(from, to) is { } invalid)
        {
            return invalid;
        }
        var page = await Confirmed(db, user, null, from, to)
            .GroupBy(l => l.CommunityId)
            .Select(g => new { CommunityId = g.Key, Hours = g.Sum(l => l.Hours), Workers = g.Select(l => l.WorkerId).Distinct().LongCount() })
            .OrderByDescending(x => x.Hours).ThenBy(x => x.CommunityId)
            .ToPageAsync(paging, ct);
        var ids = page.Items.Select(x => x.CommunityId).ToList();
        var communities = await db.Communities.AsNoTracking().Where(c => ids.Contains(c.Id)).ToDictionaryAsync(c => c.Id, ct);
        return TypedResults.Ok(page.Map(x => new CommunityHours(x.CommunityId, communities.GetValueOrDefault(x.CommunityId)?.Name ?? "",
            communities.GetValueOrDefault(x.CommunityId)?.District ?? "", x.Hours, x.Workers)));
    }

    private static IQueryable<ServiceLog> Confirmed(VolunteersDb db, ClaimsPrincipal user, Guid? communityId, DateOnly? from, DateOnly? to)
    {
        var logs = ServiceLogsApi.InReach(db.ServiceLogs.AsNoTracking().Where(l => l.Status == ServiceLogStatus.Confirmed), user);
        if (communityId is { } community)
        {
            logs = logs.Where(l => l.CommunityId == community);
        }
        return ServiceLogsApi.InPeriod(logs, from, to);
    }

    private static ValidationProblem? Invalid(DateOnly? from, DateOnly? to)
    {
        var errors = new Dictionary<string, string[]>();
        foreach (var (field, messages) in Problems.Period(from, to))
        {
            errors[field] = messages;
        }
        return errors.Count > 0 ? TypedResults.ValidationProblem(errors) : null;
    }
}

using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.Security;
using Platform.Volunteers.Data;
using Platform.Volunteers.Domain;
using Platform.ServiceDefaults.Time;

namespace Platform.Volunteers.Apis;

public sealed record CommunityCount(Guid CommunityId, string Name, long Workers);

public sealed record VolunteerStats(
    long Workers,
    long PartyMembers,
    IReadOnlyDictionary<string, long> WorkersByOccupation,
    IReadOnlyList<CommunityCount> WorkersByCommunity,
    IReadOnlyDictionary<string, long> ReportInsByStatus,
    long HazardReports,
    IReadOnlyDictionary<string, long> HazardsByCategory,
    IReadOnlyDictionary<string, long> HazardsByStatus,
    IReadOnlyDictionary<string, long> HazardsByDepartment,
    double? MedianHoursToClose,
    long Volunteers,
    long VanguardTeams,
    decimal ServiceHours,
    IReadOnlyDictionary<string, decimal> ServiceHoursByKind,
    DateTimeOffset? From,
    DateTimeOffset? To);

public static class StatsApi
{
    public static RouteHandlerBuilder MapStatsApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/stats", Get)
            .RequireRoles(PlatformRoles.OrgOfficer, PlatformRoles.Operator)
            .WithTags("Statistics")
            .WithName("VolunteerStats")
            .WithSummary("Who serves where, and what happened to hazard reports")
            .WithDescription("Workers by occupation and community (active report-ins), report-ins by status, hazards by category, status and department, the median time from report to close, volunteers (current vanguard team members), active vanguard teams, and confirmed service hours (in all and by kind). from/to (ISO 8601) narrow the hazards to those reported in the period and the service hours to service on those (local) days.");

    internal static async Task<Results<Ok<VolunteerStats>, ValidationProblem>> Get(
        VolunteersDb db, DateTimeOffset? from, DateTimeOffset? to, CancellationToken ct)
    {
        if (from is not null && to is not null && from > to)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["to"] = ["to must not be before from."] });
        }
        var workers = await db.Workers.LongCountAsync(ct);
        var partyMembers = await db.Workers.LongCountAsync(w => w.PartyMember, ct);
        var byOccupation = await db.Workers.GroupBy(w => w.Occupation).Select(g => new { g.Key, Count = g.LongCount() }).ToListAsync(ct);
        var perCommunity = await db.ReportIns.Where(r => r.Status == ReportInStatus.Active)
            .GroupBy(r => r.CommunityId)
            .Select(g => new { CommunityId = g.Key, Count = g.LongCount() })
            .ToListAsync(ct);
        var ids = perCommunity.Select(c => c.CommunityId).ToList();
        var names = await db.Communities.Where(c => ids.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Name, ct);
        var byCommunity = perCommunity
            .Select(c => new CommunityCount(c.CommunityId, names.GetValueOrDefault(c.CommunityId, ""), c.Count))
            .OrderByDescending(c => c.Workers).ThenBy(c => c.Name, StringComparer.Ordinal)
            .ToList();
        var reportIns = await db.ReportIns.GroupBy(r => r.Status).Select(g => new { g.Key, Count = g.LongCount() }).ToListAsync(ct);

        var hazards = db.HazardReports.AsNoTracking();
        if (from is { } f)
        {
            hazards = hazards.Where(r => r.ReportedAt >= f);
        }
        if (to is { } t)
        {
            hazards = hazards.Where(r => r.ReportedAt <= t);
        }
        var total = await hazards.LongCountAsync(ct);
        var byCategory = await hazards.GroupBy(r => r.Category).Select(g => new { g.Key, Count = g.LongCount() }).ToListAsync(ct);
        var byStatus = await hazards.GroupBy(r => r.Status).Select(g => new { g.Key, Count = g.LongCount() }).ToListAsync(ct);
        var byDepartment = await hazards.GroupBy(r => r.Department).Select(g => new { g.Key, Count = g.LongCount() }).ToListAsync(ct);
        var median = await MedianHoursToCloseAsync(db, from, to, ct);

        var volunteers = await db.VanguardMemberships.LongCountAsync(m => m.LeftAt == null, ct);
        var teams = await db.VanguardTeams.LongCountAsync(t => t.DissolvedAt == null, ct);
        var hoursByKind = await ServiceLogsApi.InPeriod(db.ServiceLogs.Where(l => l.Status == ServiceLogStatus.Confirmed),
                from is { } hf ? CityClock.DateOf(hf) : null, to is { } ht ? CityClock.DateOf(ht) : null)
            .GroupBy(l => l.Kind).Select(g => new { g.Key, Hours = g.Sum(l => l.Hours) }).ToListAsync(ct);

        return TypedResults.Ok(new VolunteerStats(
            workers, partyMembers,
            byOccupation.ToDictionary(x => KebabEnum.Name(x.Key), x => x.Count),
            byCommunity,
            reportIns.ToDictionary(x => KebabEnum.Name(x.Key), x => x.Count),
            total,
            byCategory.ToDictionary(x => KebabEnum.Name(x.Key), x => x.Count),
            byStatus.ToDictionary(x => KebabEnum.Name(x.Key), x => x.Count),
            byDepartment.ToDictionary(x => x.Key, x => x.Count),
            median,
            volunteers, teams, hoursByKind.Sum(x => x.Hours), hoursByKind.ToDictionary(x => KebabEnum.Name(x.Key), x => x.Hours),
            from, to));
    }

    private static async Task<double?> MedianHoursToCloseAsync(VolunteersDb db, DateTimeOffset? from, DateTimeOffset? to, CancellationToken ct)
    {
        // Closed means fixed; a rejected report was not, so it does not count towards the time to close.
        // An open end of the period is the whole past or future (PostgreSQL's timestamptz spans it).
        var start = from ?? new DateTimeOffset(1, 1, 2, 0, 0, 0, TimeSpan.Zero);
        var end = to ?? new DateTimeOffset(9999, 12, 30, 0, 0, 0, TimeSpan.Zero);
        var median = await db.Database.SqlQuery<double?>($"""
            SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM ("ClosedAt" - "ReportedAt")))::double precision AS "Value"
            FROM hazard_reports
            WHERE "Status" = 'Closed' AND "ReportedAt" >= {start.ToUniversalTime()} AND "ReportedAt" <= {end.ToUniversalTime()}
            """).SingleAsync(ct);
        return median is null ? null : Math.Round(median.Value / 3600, 2);
    }
}

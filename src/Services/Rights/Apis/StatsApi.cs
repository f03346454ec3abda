using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Platform.Rights.Data;
using Platform.Rights.Domain;
using Platform.ServiceDefaults.Security;

namespace Platform.Rights.Apis;

public sealed record CountBy<T>(T Key, int Count);

public sealed record SatisfactionStats(int Scored, double? Average, IReadOnlyList<CountBy<int>> Scores);

public sealed record RightsStats(
    DateTimeOffset? From, DateTimeOffset? To, int Cases,
    IReadOnlyList<CountBy<CaseCategory>> ByCategory, IReadOnlyList<CountBy<CaseChannel>> ByChannel, IReadOnlyList<CountBy<CaseStatus>> ByStatus,
    double? MedianFirstResponseMinutes, double? MedianResolutionHours, int Overdue, SatisfactionStats Satisfaction,
    int HotlineCalls, int CrisisCalls, int ActivitiesScheduled, int ActivitiesHeld, int ActivityParticipants);

/// <summary>
/// <c>GET /stats</c>: the rights team's figures, aggregates only (cases by category, channel and status, median
/// times, overdue, satisfaction, calls, activities). Computed in PostgreSQL: no case is loaded.
/// </summary>
public static class StatsApi
{
    public static RouteHandlerBuilder MapStatsApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/stats", Get)
            .WithTags("Statistics")
            .RequireRoles(PlatformRoles.Supervisor, PlatformRoles.Operator)
            .WithName("RightsStats")
            .WithSummary("Cases, response times, satisfaction, calls and activities")
            .WithDescription("Optionally for cases submitted (calls started, activities scheduled) between from and to.");

    internal static async Task<Results<Ok<RightsStats>, ValidationProblem>> Get(
        RightsDb db, TimeProvider clock, DateTimeOffset? from, DateTimeOffset? to, CancellationToken ct)
    {
        if (from is not null && to is not null && to < from)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["to"] = ["to must not be before from."] });
        }
        var start = (from ?? DateTimeOffset.MinValue).ToUniversalTime();
        var end = (to ?? DateTimeOffset.MaxValue).ToUniversalTime();
        var now = clock.GetUtcNow();
        var cases = db.Cases.AsNoTracking().Where(c => c.SubmittedAt >= start && c.SubmittedAt <= end);

        var byCategory = await cases.GroupBy(c => c.Category).Select(g => new CountBy<CaseCategory>(g.Key, g.Count())).ToListAsync(ct);
        var byChannel = await cases.GroupBy(c => c.Channel).Select(g => new CountBy<CaseChannel>(g.Key, g.Count())).ToListAsync(ct);
        var byStatus = await cases.GroupBy(c => c.Status).Select(g => new CountBy<CaseStatus>(g.Key, g.Count())).ToListAsync(ct);
        var overdue = await cases.CountAsync(c => c.FirstRespondedAt == null
            && (c.Status == CaseStatus.Submitted || c.Status == CaseStatus.Triaged || c.Status == CaseStatus.Assigned)
            && c.FirstResponseDueAt < now, ct);
        var scores = await cases.Where(c => c.Satisfaction != null).GroupBy(c => c.Satisfaction!.Value)
            .Select(g => new CountBy<int>(g.Key, g.Count())).ToListAsync(ct);
        var scored = scores.Sum(s => s.Count);

        // Medians with percentile_cont: PostgreSQL sorts the durations itself.
        var medians = await db.Database.SqlQuery<Medians>($"""
            SELECT
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM "FirstRespondedAt" - "SubmittedAt")) / 60.0 AS "FirstResponseMinutes",
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM coalesce("ResolvedAt", "EscalatedAt") - "SubmittedAt")) / 3600.0 AS "ResolutionHours"
            FROM cases
            WHERE "SubmittedAt" >= {start} AND "SubmittedAt" <= {end}
            """).SingleAsync(ct);

        var calls = db.HotlineCalls.AsNoTracking().Where(c => c.StartedAt >= start && c.StartedAt <= end);
        var callCount = await calls.CountAsync(ct);
        var crisisCalls = await calls.CountAsync(c => c.Crisis, ct);
        var activities = db.Activities.AsNoTracking().Where(a => a.ScheduledAt >= start && a.ScheduledAt <= end);
        var scheduled = await activities.CountAsync(a => a.Status == ActivityStatus.Scheduled, ct);
        var held = await activities.CountAsync(a => a.Status == ActivityStatus.Held, ct);
        var participants = await activities.Where(a => a.Status == ActivityStatus.Held).SumAsync(a => a.Participants ?? 0, ct);

        return TypedResults.Ok(new RightsStats(
            from, to, byCategory.Sum(c => c.Count),
            [.. byCategory.OrderBy(c => c.Key)], [.. byChannel.OrderBy(c => c.Key)], [.. byStatus.OrderBy(c => c.Key)],
            Round(medians.FirstResponseMinutes), Round(medians.ResolutionHours), overdue,
            new SatisfactionStats(scored, scored == 0 ? null : Math.Round(scores.Sum(s => (double)s.Key * s.Count) / scored, 2), [.. scores.OrderBy(s => s.Key)]),
            callCount, crisisCalls, scheduled, held, participants));
    }

    private static double? Round(double? value) => value is null ? null : Math.Round(value.Value, 2);

    private sealed record Medians(double? FirstResponseMinutes, double? ResolutionHours);
}

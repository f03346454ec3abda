using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.Security;
using Platform.Stations.Data;
using Platform.Stations.Domain;

namespace Platform.Stations.Apis;

public enum StatsPeriod
{
    Day,
    Week,
    Month,
}

public sealed record HostTypeCount(HostType HostType, int Stations);

public sealed record ZoneCount(Guid ZoneId, string Name, int Stations);

public sealed record AmenityCoverage(Amenity Amenity, int Stations, double Share);

public sealed record SixCanCoverage(SixCan Can, int Stations, double Share);

/// <summary>Start: First local date of the period (a Monday for weeks, the 1st for months).</summary>
public sealed record PeriodCount(DateOnly Start, int CheckIns);

public sealed record StatsResponse(
    int ActiveStations,
    int ClosedStations,
    IReadOnlyList<HostTypeCount> ByHostType,
    IReadOnlyList<ZoneCount> ByZone,
    IReadOnlyList<AmenityCoverage> Amenities,
    IReadOnlyList<SixCanCoverage> SixCans,
    int StationsWithAllSixCans,
    DateOnly From,
    DateOnly To,
    StatsPeriod Period,
    int CheckIns,
    IReadOnlyList<PeriodCount> CheckInsPerPeriod);

public static class StatsApi
{
    public const int MaxZones = 200;

    public static RouteHandlerBuilder MapStatsApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/stats", Get)
            .WithTags("Statistics")
            .RequireRoles(PlatformRoles.OrgOfficer, PlatformRoles.Operator, PlatformRoles.Supervisor)
            .WithName("GetStationStats")
            .WithSummary("How stations are spread and used")
            .WithDescription("Active stations by host type and zone (the 200 largest zones), amenity and six-cans coverage of active stations, and check-ins between local dates `from` and `to` (default the last 30 days, at most 366) per `period` (day, week, month).");

    internal static async Task<Results<Ok<StatsResponse>, ValidationProblem>> Get(
        StationsDb db, TimeProvider clock, DateOnly? from, DateOnly? to, string? period, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var (first, last) = CheckInsApi.Period(errors, clock, from, to);
        var per = KebabEnum.Filter<StatsPeriod>(period, "period", errors) ?? StatsPeriod.Day;
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var active = db.Stations.Where(s => s.Status == StationStatus.Active);
        var byStatus = await db.Stations.GroupBy(s => s.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        var byHost = await active.GroupBy(s => s.HostType).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        var zones = await db.Zones
            .Select(z => new { z.Id, z.Name, Stations = db.ZoneStations.Count(m => m.ZoneId == z.Id && active.Any(s => s.Id == m.StationId)) })
            .OrderByDescending(z => z.Stations).ThenBy(z => z.Name).Take(MaxZones)
            .ToListAsync(ct);
        var byZone = zones.Select(z => new ZoneCount(z.Id, z.Name, z.Stations)).ToList();
        // Amenity sets repeat a lot: count stations per distinct set in SQL, expand the few sets here.
        var sets = await active.GroupBy(s => s.Amenities).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        var activeCount = byStatus.Where(s => s.Key == StationStatus.Active).Sum(s => s.Count);
        double Share(int n) => activeCount == 0 ? 0 : Math.Round((double)n / activeCount, 4);
        var amenities = Amenities.All
            .Select(a => sets.Where(s => s.Key.HasFlag(a)).Sum(s => s.Count))
            .Zip(Amenities.All, (n, a) => new AmenityCoverage(a, n, Share(n))).ToList();
        var cans = Enum.GetValues<SixCan>()
            .Select(c => { var n = sets.Where(s => Amenities.SixCans(s.Key).Contains(c)).Sum(s => s.Count); return new SixCanCoverage(c, n, Share(n)); })
            .ToList();
        var allSix = sets.Where(s => Amenities.SixCans(s.Key).Count == 6).Sum(s => s.Count);

        var days = await db.CheckIns.Where(c => c.LocalDate >= first && c.LocalDate <= last)
            .GroupBy(c => c.LocalDate).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        var perPeriod = days
            .GroupBy(d => PeriodStart(d.Key, per))
            .Select(g => new PeriodCount(g.Key, g.Sum(d => d.Count)))
            .OrderBy(p => p.Start).ToList();
        return TypedResults.Ok(new StatsResponse(
            activeCount,
            byStatus.Where(s => s.Key == StationStatus.Closed).Sum(s => s.Count),
            [.. Enum.GetValues<HostType>().Select(h => new HostTypeCount(h, byHost.Where(x => x.Key == h).Sum(x => x.Count)))],
            byZone, amenities, cans, allSix, first, last, per, days.Sum(d => d.Count), perPeriod));
    }

    private static DateOnly PeriodStart(DateOnly date, StatsPeriod period) => period switch
    {
        StatsPeriod.Week => date.AddDays(-(((int)date.DayOfWeek + 6) % 7)),
        StatsPeriod.Month => new DateOnly(date.Year, date.Month, 1),
        _ => date,
    };
}

using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.Security;
using Platform.Stations.Data;
using Platform.Stations.Domain;
using Platform.ServiceDefaults.Time;

namespace Platform.Stations.Apis;

public sealed record CheckInCodeResponse(Guid StationId, string Code);

public sealed record CheckInRequest(string? Code);

/// <summary>Repeated: True when this scan repeated one within 30 minutes: the visit is counted once.</summary>
public sealed record CheckInResponse(Guid Id, Guid StationId, DateTimeOffset At, bool Repeated);

public sealed record DayCount(DateOnly Date, int Count);

public sealed record HourCount(int Hour, int Count);

/// <summary>Visits to a station between two local dates: per day, per local hour of day (0-23), and the busiest hours. </summary>
public sealed record VisitsResponse(Guid StationId, DateOnly From, DateOnly To, int Total, int Workers, IReadOnlyList<DayCount> ByDay, IReadOnlyList<HourCount> ByHour, IReadOnlyList<HourCount> BusiestHours);

public static class CheckInsApi
{
    public const int MaxDays = 366;

    public static RouteGroupBuilder MapCheckInsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/stations/{id:guid}").WithTags("Check-ins");
        group.MapGet("/check-in-code", Code)
            .RequireRoles(StationAccess.ManagerRoles)
            .WithName("GetCheckInCode")
            .WithSummary("The station's signed QR payload")
            .WithDescription("For the station's keepers, officers and operators to print as a QR code at the station.");
        group.MapPost("/check-ins", CheckInAt)
            .RequireRoles(PlatformRoles.Worker)
            .AcceptsIdempotencyKey()
            .WithName("CheckIn")
            .WithSummary("Check in at a station by its QR code")
            .WithDescription("A worker's app submits the scanned code. A code not signed by this service, or of another station, is refused with 422; a closed station is 409. Scanning again within 30 minutes answers 200 with the first check-in (one visit).");
        group.MapGet("/visits", Visits)
            .RequireRoles([.. StationAccess.ManagerRoles, PlatformRoles.Supervisor])
            .WithName("GetStationVisits")
            .WithSummary("Visits per day and hour, busiest hours")
            .WithDescription("Check-ins between local dates `from` and `to` (inclusive, Asia/Shanghai; default the last 30 days, at most 366 days), per day, per hour of day, and the three busiest hours.");
        return group;
    }

    internal static async Task<Results<Ok<CheckInCodeResponse>, NotFound, ForbidHttpResult>> Code(
        Guid id, ClaimsPrincipal user, StationsDb db, CheckInCodes codes, CancellationToken ct)
    {
        if (!user.CanManage(id))
        {
            return TypedResults.Forbid();
        }
        return await db.Stations.AnyAsync(s => s.Id == id, ct)
            ? TypedResults.Ok(new CheckInCodeResponse(id, codes.For(id)))
            : TypedResults.NotFound();
    }

    internal static async Task<Results<Created<CheckInResponse>, Ok<CheckInResponse>, ValidationProblem, NotFound, ProblemHttpResult>> CheckInAt(
        Guid id, CheckInRequest request, ClaimsPrincipal user, StationsDb db, CheckInCodes codes, TimeProvider clock, StationsTelemetry telemetry, CancellationToken ct)
    {
        using var activity = StationsTelemetry.Activities.StartActivity("station.check_in");
        var workerId = user.WorkerId();
        if (workerId is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Only workers check in.");
        }
        if (string.IsNullOrWhiteSpace(request.Code) || request.Code.Length > CheckInCodes.MaxCodeLength)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["code"] = [$"code is required (the scanned QR payload, at most {CheckInCodes.MaxCodeLength} characters)."] });
        }
        var station = await db.Stations.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, ct);
        if (station is null)
        {
            return TypedResults.NotFound();
        }
        switch (codes.Check(request.Code, id))
        {
            case CodeCheck.Forged:
                return CodeRefused("This is not a check-in code of a red station.", "The code was not issued by the stations service.");
            case CodeCheck.OtherStation:
                return CodeRefused("This code belongs to another station.", $"The code is not the one posted at station {id}.");
        }
        if (!station.IsActive)
        {
            return StationsApi.ClosedConflict(station);
        }
        var now = clock.GetUtcNow();
        var since = now - CheckIn.SameVisit;
        var earlier = await db.CheckIns.AsNoTracking()
            .Where(c => c.WorkerId == workerId && c.StationId == id && c.At > since)
            .OrderByDescending(c => c.At)
            .FirstOrDefaultAsync(ct);
        if (earlier is not null)
        {
            return TypedResults.Ok(new CheckInResponse(earlier.Id, id, earlier.At, Repeated: true));
        }
        var checkIn = CheckIn.Record(id, workerId.Value, now);
        db.CheckIns.Add(checkIn);
        await db.SaveChangesAsync(ct);
        activity?.SetTag("station.district", station.District);
        telemetry.CheckedIn(station);
        return TypedResults.Created($"/stations/{id}/check-ins/{checkIn.Id}", new CheckInResponse(checkIn.Id, id, checkIn.At, Repeated: false));
    }

    private static ProblemHttpResult CodeRefused(string title, string detail) => TypedResults.Problem(
        statusCode: StatusCodes.Status422UnprocessableEntity, title: title, detail: detail,
        extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["code"] = [detail] } });

    internal static async Task<Results<Ok<VisitsResponse>, ValidationProblem, NotFound, ForbidHttpResult>> Visits(
        Guid id, ClaimsPrincipal user, StationsDb db, TimeProvider clock, DateOnly? from, DateOnly? to, CancellationToken ct)
    {
        if (!user.CanManage(id) && !user.IsInRole(PlatformRoles.Supervisor))
        {
            return TypedResults.Forbid();
        }
        var errors = new Dictionary<string, string[]>();
        var (first, last) = Period(errors, clock, from, to);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        if (!await db.Stations.AnyAsync(s => s.Id == id, ct))
        {
            return TypedResults.NotFound();
        }
        var visits = db.CheckIns.Where(c => c.StationId == id && c.LocalDate >= first && c.LocalDate <= last);
        var days = await visits.GroupBy(c => c.LocalDate).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        var byDay = days.OrderBy(d => d.Key).Select(d => new DayCount(d.Key, d.Count)).ToList();
        var hours = await visits.GroupBy(c => c.LocalHour).Select(g => new { Hour = g.Key, Count = g.Count() }).ToListAsync(ct);
        var workers = await visits.Select(c => c.WorkerId).Distinct().CountAsync(ct);
        var byHour = Enumerable.Range(0, 24).Select(h => new HourCount(h, hours.FirstOrDefault(x => x.Hour == h)?.Count ?? 0)).ToList();
        var busiest = byHour.Where(h => h.Count > 0).OrderByDescending(h => h.Count).ThenBy(h => h.Hour).Take(3).ToList();
        return TypedResults.Ok(new VisitsResponse(id, first, last, byDay.Sum(d => d.Count), workers, byDay, byHour, busiest));
    }

    /// <summary>A period of local dates: default the last 30 days up to today (Asia/Shanghai).</summary>
    internal static (DateOnly From, DateOnly To) Period(Dictionary<string, string[]> errors, TimeProvider clock, DateOnly? from, DateOnly? to)
    {
        var today = DateOnly.FromDateTime(CityClock.LocalDateTime(clock.GetUtcNow()));
        var last = to ?? today;
        var first = from ?? last.AddDays(-29);
        if (first > last)
        {
            errors["from"] = ["from must not be after to."];
        }
        else if (last.DayNumber - first.DayNumber >= MaxDays)
        {
            errors["to"] = [$"The period covers at most {MaxDays} days."];
        }
        return (first, last);
    }
}

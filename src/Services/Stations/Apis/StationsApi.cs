using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Platform.Communities;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.Messaging;
using Platform.ServiceDefaults.Security;
using Platform.ServiceDefaults.Validation;
using Platform.Stations.Application;
using Platform.Stations.Data;
using Platform.Stations.Domain;

namespace Platform.Stations.Apis;

public sealed record StationResponse(
    Guid Id,
    string Name,
    HostType HostType,
    Guid CommunityId,
    string District,
    string Address,
    double Latitude,
    double Longitude,
    HoursDocument Hours,
    IReadOnlyList<Amenity> Amenities,
    IReadOnlyList<SixCan> SixCans,
    StationStatus Status,
    DateTimeOffset OpenedAt,
    DateTimeOffset? ClosedAt,
    OpenState Now)
{
    public static StationResponse From(Station s, DateTimeOffset now) => new(
        s.Id, s.Name, s.HostType, s.CommunityId, s.District, s.Address, s.Latitude, s.Longitude,
        HoursDocument.From(s.Hours), Domain.Amenities.List(s.Amenities), Domain.Amenities.SixCans(s.Amenities),
        s.Status, s.OpenedAt, s.ClosedAt, s.StateAt(now));
}

public sealed record SetAmenitiesRequest(IReadOnlyList<Amenity>? Amenities);

public static class StationsApi
{
    public static RouteGroupBuilder MapStationsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/stations").WithTags("Stations");
        // Opening a station is the organization department's decision (it builds the red service circle and names the
        // keepers, whose tokens then carry the station); keepers keep their own station's hours and amenities current.
        group.MapPost("/", Open)
            .RequireRoles(StationAccess.AdministratorRoles)
            .AcceptsIdempotencyKey()
            .WithName("OpenStation")
            .WithSummary("Open a station")
            .WithDescription("Opens a red station in a known community with its location (WGS-84), weekly hours in Asia/Shanghai time (spans may run past midnight; closes at or before opens means the next day; 00:00-24:00 is all day) and exceptions, and amenities. Publishes StationOpened.");
        group.MapGet("/", List)
            .RequireAuthorization()
            .WithName("ListStations")
            .WithSummary("List stations")
            .WithDescription("Pages through stations by name, optionally of one community, district, host type or status (active, closed).");
        group.MapGet("/{id:guid}", Get)
            .AllowAnonymous()
            .WithName("GetStation")
            .WithSummary("One station, with whether it is open now")
            .WithDescription("Public: a station's details as a map app shows them, and whether it is open now and until when.");
        group.MapPut("/{id:guid}", Update)
            .RequireRoles(StationAccess.AdministratorRoles)
            .WithName("UpdateStation")
            .WithSummary("Replace a station's details")
            .WithDescription("Replaces every detail (as when opening). A closed station cannot be changed (409). Publishes StationUpdated.");
        group.MapPut("/{id:guid}/hours", SetHours)
            .RequireRoles(StationAccess.ManagerRoles)
            .WithName("SetStationHours")
            .WithSummary("Set a station's opening hours")
            .WithDescription("The station's keepers, officers and operators keep the weekly hours and exceptions (holidays, temporary closures) current. Search answers with the new hours at once.");
        group.MapPut("/{id:guid}/amenities", SetAmenities)
            .RequireRoles(StationAccess.ManagerRoles)
            .WithName("SetStationAmenities")
            .WithSummary("Set a station's amenities")
            .WithDescription("Replaces the amenities (the six cans follow from them). Publishes StationUpdated.");
        group.MapPost("/{id:guid}/close", Close)
            .RequireRoles(StationAccess.AdministratorRoles)
            .WithName("CloseStation")
            .WithSummary("Close a station for good")
            .WithDescription("Removes it from search and maps. A temporary closure is an exception in the hours instead. Publishes StationClosed.");
        return group;
    }

    internal static async Task<Results<Created<StationResponse>, ValidationProblem>> Open(
        StationDetails request, StationsDb db, StationChanges changes, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var community = await FindCommunity(db, request.CommunityId, ct);
        var opened = Station.Open(request, community, now);
        if (!opened.IsValid)
        {
            return TypedResults.ValidationProblem(opened.Errors);
        }
        var station = opened.Value!;
        db.Stations.Add(station);
        db.Publish(station.ToOpened(), clock);
        await changes.SaveAsync(station, ct);
        return TypedResults.Created($"/stations/{station.Id}", StationResponse.From(station, now));
    }

    internal static async Task<Results<Ok<Page<StationResponse>>, ValidationProblem>> List(
        StationsDb db, TimeProvider clock, [AsParameters] PageQuery paging, Guid? communityId, string? district, string? hostType, string? status, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var host = KebabEnum.Filter<HostType>(hostType, "hostType", errors);
        var state = KebabEnum.Filter<StationStatus>(status, "status", errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var query = db.Stations.AsNoTracking();
        if (communityId is not null)
        {
            query = query.Where(s => s.CommunityId == communityId);
        }
        if (!string.IsNullOrWhiteSpace(district))
        {
            query = query.Where(s => s.District == district);
        }
        if (host is not null)
        {
            query = query.Where(s => s.HostType == host);
        }
        if (state is not null)
        {
            query = query.Where(s => s.Status == state);
        }
        var page = await query.OrderBy(s => s.Name).ThenBy(s => s.Id).ToPageAsync(paging, ct);
        var now = clock.GetUtcNow();
        return TypedResults.Ok(page.Map(s => StationResponse.From(s, now)));
    }

    internal static async Task<Results<Ok<StationResponse>, NotFound>> Get(Guid id, StationsDb db, TimeProvider clock, CancellationToken ct)
    {
        var station = await db.Stations.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, ct);
        return station is null ? TypedResults.NotFound() : TypedResults.Ok(StationResponse.From(station, clock.GetUtcNow()));
    }

    internal static async Task<Results<Ok<StationResponse>, ValidationProblem, NotFound, ProblemHttpResult>> Update(
        Guid id, StationDetails request, StationsDb db, StationChanges changes, TimeProvider clock, CancellationToken ct)
    {
        var station = await db.Stations.FirstOrDefaultAsync(s => s.Id == id, ct);
        if (station is null)
        {
            return TypedResults.NotFound();
        }
        if (!station.IsActive)
        {
            return ClosedConflict(station);
        }
        var now = clock.GetUtcNow();
        var errors = station.Update(request, await FindCommunity(db, request.CommunityId, ct));
        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }
        db.Publish(station.ToUpdated(now), clock);
        await changes.SaveAsync(station, ct);
        return TypedResults.Ok(StationResponse.From(station, now));
    }

    internal static async Task<Results<Ok<StationResponse>, ValidationProblem, NotFound, ForbidHttpResult, ProblemHttpResult>> SetHours(
        Guid id, HoursDocument request, ClaimsPrincipal user, StationsDb db, StationChanges changes, TimeProvider clock, CancellationToken ct)
    {
        if (!user.CanManage(id))
        {
            return TypedResults.Forbid();
        }
        var station = await db.Stations.FirstOrDefaultAsync(s => s.Id == id, ct);
        if (station is null)
        {
            return TypedResults.NotFound();
        }
        if (!station.IsActive)
        {
            return ClosedConflict(station);
        }
        var errors = station.SetHours(request);
        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }
        // Hours are not in the public events (partners get name, place and amenities), so no event.
        await changes.SaveAsync(station, ct);
        return TypedResults.Ok(StationResponse.From(station, clock.GetUtcNow()));
    }

    internal static async Task<Results<Ok<StationResponse>, NotFound, ForbidHttpResult, ProblemHttpResult>> SetAmenities(
        Guid id, SetAmenitiesRequest request, ClaimsPrincipal user, StationsDb db, StationChanges changes, TimeProvider clock, CancellationToken ct)
    {
        if (!user.CanManage(id))
        {
            return TypedResults.Forbid();
        }
        var station = await db.Stations.FirstOrDefaultAsync(s => s.Id == id, ct);
        if (station is null)
        {
            return TypedResults.NotFound();
        }
        if (!station.IsActive)
        {
            return ClosedConflict(station);
        }
        var now = clock.GetUtcNow();
        station.SetAmenities(request.Amenities);
        db.Publish(station.ToUpdated(now), clock);
        await changes.SaveAsync(station, ct);
        return TypedResults.Ok(StationResponse.From(station, now));
    }

    internal static async Task<Results<Ok<StationResponse>, NotFound, ProblemHttpResult>> Close(
        Guid id, StationsDb db, StationChanges changes, TimeProvider clock, CancellationToken ct)
    {
        var station = await db.Stations.FirstOrDefaultAsync(s => s.Id == id, ct);
        if (station is null)
        {
            return TypedResults.NotFound();
        }
        var now = clock.GetUtcNow();
        if (!station.Close(now))
        {
            return ClosedConflict(station);
        }
        db.Publish(station.ToClosed(), clock);
        await changes.SaveAsync(station, ct);
        return TypedResults.Ok(StationResponse.From(station, now));
    }

    internal static ProblemHttpResult ClosedConflict(Station station) => Refusal.Conflict("The station is closed.", $"Station {station.Id} closed for good at {station.ClosedAt:O}.").ToProblem();

    private static async Task<LocalCommunity?> FindCommunity(StationsDb db, Guid? id, CancellationToken ct) =>
        id is null ? null : await db.Communities.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct);
}

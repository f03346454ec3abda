using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Platform.ServiceDefaults.Data;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.Security;
using Platform.ServiceDefaults.Validation;
using Platform.Stations.Application;
using Platform.Stations.Data;
using Platform.Stations.Domain;

namespace Platform.Stations.Apis;

public sealed record CreateZoneRequest(string? Name, string? Description);

public sealed record ZoneResponse(Guid Id, string Name, string? Description, DateTimeOffset CreatedAt, int Stations);

public static class ZonesApi
{
    public static RouteGroupBuilder MapZonesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/zones").WithTags("Zones");
        group.MapPost("/", Create)
            .RequireRoles(StationAccess.AdministratorRoles)
            .AcceptsIdempotencyKey()
            .WithName("CreateZone")
            .WithSummary("Create a zone of the red service circle")
            .WithDescription("A named group of stations (an integration zone, a street service centre's circle). Names are unique (409).");
        group.MapGet("/", List)
            .AllowAnonymous()
            .WithName("ListZones")
            .WithSummary("List zones")
            .WithDescription("Public: zones by name, with how many stations each has.");
        group.MapGet("/{id:guid}", Get)
            .AllowAnonymous()
            .WithName("GetZone")
            .WithSummary("One zone");
        group.MapPut("/{id:guid}/stations/{stationId:guid}", AddStation)
            .RequireRoles(StationAccess.AdministratorRoles)
            .WithName("AddStationToZone")
            .WithSummary("Put a station in a zone")
            .WithDescription($"Idempotent. A zone holds at most {Zone.MaxStations} stations (409).");
        group.MapDelete("/{id:guid}/stations/{stationId:guid}", RemoveStation)
            .RequireRoles(StationAccess.AdministratorRoles)
            .WithName("RemoveStationFromZone")
            .WithSummary("Take a station out of a zone")
            .WithDescription("Idempotent.");
        group.MapGet("/{id:guid}/geojson", GeoJson)
            .AllowAnonymous()
            .WithName("ZoneGeoJson")
            .WithSummary("A zone's active stations as GeoJSON")
            .WithDescription("Public: an RFC 7946 FeatureCollection (longitude first) of the zone's active stations.")
            .Produces<StationFeatureCollection>(contentType: MapApi.GeoJsonContentType);
        return group;
    }

    internal static async Task<Results<Created<ZoneResponse>, ValidationProblem, ProblemHttpResult>> Create(
        CreateZoneRequest request, StationsDb db, TimeProvider clock, CancellationToken ct)
    {
        var created = Zone.Create(request.Name, request.Description, clock.GetUtcNow());
        if (!created.IsValid)
        {
            return TypedResults.ValidationProblem(created.Errors);
        }
        var zone = created.Value!;
        db.Zones.Add(zone);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            return Refusal.Conflict("A zone with this name exists.", $"There is already a zone named {zone.Name}.").ToProblem();
        }
        return TypedResults.Created($"/zones/{zone.Id}", new ZoneResponse(zone.Id, zone.Name, zone.Description, zone.CreatedAt, 0));
    }

    internal static async Task<Results<Ok<Page<ZoneResponse>>, ValidationProblem>> List(StationsDb db, [AsParameters] PageQuery paging, CancellationToken ct)
    {
        return TypedResults.Ok(await db.Zones.AsNoTracking()
            .OrderBy(z => z.Name).ThenBy(z => z.Id)
            .Select(z => new ZoneResponse(z.Id, z.Name, z.Description, z.CreatedAt, db.ZoneStations.Count(m => m.ZoneId == z.Id))).ToPageAsync(paging, ct));
    }

    internal static async Task<Results<Ok<ZoneResponse>, NotFound>> Get(Guid id, StationsDb db, CancellationToken ct)
    {
        var zone = await db.Zones.AsNoTracking()
            .Where(z => z.Id == id)
            .Select(z => new ZoneResponse(z.Id, z.Name, z.Description, z.CreatedAt, db.ZoneStations.Count(m => m.ZoneId == z.Id)))
            .FirstOrDefaultAsync(ct);
        return zone is null ? TypedResults.NotFound() : TypedResults.Ok(zone);
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> AddStation(
        Guid id, Guid stationId, StationsDb db, CancellationToken ct)
    {
        if (!await db.Zones.AnyAsync(z => z.Id == id, ct))
        {
            return NotFoundOf("zone", id);
        }
        if (!await db.Stations.AnyAsync(s => s.Id == stationId, ct))
        {
            return NotFoundOf("station", stationId);
        }
        if (await db.ZoneStations.AnyAsync(m => m.ZoneId == id && m.StationId == stationId, ct))
        {
            return TypedResults.NoContent();
        }
        if (await db.ZoneStations.CountAsync(m => m.ZoneId == id, ct) >= Zone.MaxStations)
        {
            return Refusal.Conflict("The zone is full.", $"A zone holds at most {Zone.MaxStations} stations.").ToProblem();
        }
        db.ZoneStations.Add(new ZoneStation { ZoneId = id, StationId = stationId });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            // Added by a concurrent request: the same outcome.
        }
        return TypedResults.NoContent();
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> RemoveStation(Guid id, Guid stationId, StationsDb db, CancellationToken ct)
    {
        if (!await db.Zones.AnyAsync(z => z.Id == id, ct))
        {
            return NotFoundOf("zone", id);
        }
        await db.ZoneStations.Where(m => m.ZoneId == id && m.StationId == stationId).ExecuteDeleteAsync(ct);
        return TypedResults.NoContent();
    }

    internal static async Task<Results<JsonHttpResult<StationFeatureCollection>, NotFound>> GeoJson(Guid id, StationsDb db, StationIndex index, CancellationToken ct)
    {
        if (!await db.Zones.AnyAsync(z => z.Id == id, ct))
        {
            return TypedResults.NotFound();
        }
        var members = await db.ZoneStations.Where(m => m.ZoneId == id).Select(m => m.StationId).ToListAsync(ct);
        // Closed stations are not on maps: they are not in the index.
        var pins = members.Select(index.Find).OfType<StationPin>().OrderBy(p => p.Id).ToList();
        return MapApi.Collection(pins, 1, Zone.MaxStations, pins.Count);
    }

    /// <summary>A 404 that says which of the two ids was not found.</summary>
    internal static ProblemHttpResult NotFoundOf(string what, Guid id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: $"No such {what}.", detail: $"There is no {what} {id}.");
}

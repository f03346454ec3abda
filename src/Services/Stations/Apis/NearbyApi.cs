using Microsoft.AspNetCore.Http.HttpResults;
using Platform.ServiceDefaults.Http;
using Platform.Stations.Application;
using Platform.Stations.Domain;

namespace Platform.Stations.Apis;

public sealed record NearbyStation(
    Guid Id,
    string Name,
    HostType HostType,
    string Address,
    double Latitude,
    double Longitude,
    double DistanceMetres,
    IReadOnlyList<Amenity> Amenities,
    IReadOnlyList<SixCan> SixCans,
    bool IsOpen,
    DateTimeOffset? OpenUntil,
    DateTimeOffset? OpensAt);

/// <summary>At: The instant "open" refers to (now unless asked).</summary>
public sealed record NearbyResponse(IReadOnlyList<NearbyStation> Items, DateTimeOffset At);

public static class NearbyApi
{
    public const double DefaultRadius = 2_000;
    /// <summary>Far beyond a "15-minute warm harbour"; also bounds the cells a query reads.</summary>
    public const double MaxRadius = 50_000;
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;

    public static RouteGroupBuilder MapNearbyApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/stations").WithTags("Search");
        group.MapGet("/nearby", Nearby)
            .AllowAnonymous()
            .WithName("FindNearbyStations")
            .WithSummary("Nearest stations to a point")
            .WithDescription("Public. Stations within `radius` metres (default 2000, at most 50000) of WGS-84 `latitude`/`longitude`, nearest first by great-circle distance, each with its distance and whether and until when it is open. `amenities=charging,water` keeps only stations with all of them; `open=true` only those open at `at` (ISO 8601, default now). `limit` 1-100 (default 20).");
        return group;
    }

    internal static Results<Ok<NearbyResponse>, ValidationProblem> Nearby(
        StationIndex index, TimeProvider clock,
        double? latitude, double? longitude, double? radius, string? amenities, bool? open, DateTimeOffset? at, int? limit)
    {
        var errors = new Dictionary<string, string[]>();
        if (latitude is null)
        {
            errors["latitude"] = ["latitude is required."];
        }
        else if (!double.IsFinite(latitude.Value) || latitude is < -90 or > 90)
        {
            errors["latitude"] = ["latitude must be between -90 and 90 (WGS-84 degrees)."];
        }
        if (longitude is null)
        {
            errors["longitude"] = ["longitude is required."];
        }
        else if (!double.IsFinite(longitude.Value) || longitude is < -180 or > 180)
        {
            errors["longitude"] = ["longitude must be between -180 and 180 (WGS-84 degrees)."];
        }
        var r = radius ?? DefaultRadius;
        if (!double.IsFinite(r) || r <= 0 || r > MaxRadius)
        {
            errors["radius"] = [$"radius must be more than 0 and at most {MaxRadius} metres."];
        }
        var n = limit ?? DefaultLimit;
        if (n is < 1 or > MaxLimit)
        {
            errors["limit"] = [$"limit must be between 1 and {MaxLimit}."];
        }
        var required = default(Amenity);
        foreach (var word in (amenities ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (KebabEnum.TryParse<Amenity>(word, out var amenity))
            {
                required |= amenity;
            }
            else
            {
                errors["amenities"] = [$"'{word}' is not an amenity; amenities are {KebabEnum.Names<Amenity>()}."];
            }
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var when = at ?? clock.GetUtcNow();
        var hits = index.Nearby(new NearbyQuery(latitude!.Value, longitude!.Value, r, required, open == true ? when : null, n));
        var items = hits.Select(h =>
        {
            var state = h.Station.Hours.StateAt(when);
            var p = h.Station;
            return new NearbyStation(p.Id, p.Name, p.HostType, p.Address, p.Latitude, p.Longitude, Math.Round(h.DistanceMetres, 1),
                Domain.Amenities.List(p.Amenities), Domain.Amenities.SixCans(p.Amenities), state.IsOpen, state.Until, state.NextOpensAt);
        }).ToList();
        return TypedResults.Ok(new NearbyResponse(items, when));
    }
}

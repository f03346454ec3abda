using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Platform.Stations.Application;
using Platform.Stations.Domain;

namespace Platform.Stations.Apis;

/// <summary>RFC 7946 Point: coordinates are [longitude, latitude].</summary>
public sealed record GeoPointGeometry(string Type, double[] Coordinates);

public sealed record StationProperties(string Name, HostType HostType, string District, string Address, IReadOnlyList<Amenity> Amenities, IReadOnlyList<SixCan> SixCans);

public sealed record StationFeature(string Type, Guid Id, GeoPointGeometry Geometry, StationProperties Properties)
{
    public static StationFeature From(StationPin p) => new(
        "Feature", p.Id, new GeoPointGeometry("Point", [p.Longitude, p.Latitude]),
        new StationProperties(p.Name, p.HostType, p.District, p.Address, Domain.Amenities.List(p.Amenities), Domain.Amenities.SixCans(p.Amenities)));
}

/// <summary>An RFC 7946 FeatureCollection; page, pageSize and total are foreign members (allowed by section 6.1).</summary>
public sealed record StationFeatureCollection(string Type, IReadOnlyList<StationFeature> Features, int Page, int PageSize, int Total);

public static class MapApi
{
    public const string GeoJsonContentType = "application/geo+json";
    public const int DefaultPageSize = 1000;
    public const int MaxPageSize = 5000;

    public static RouteGroupBuilder MapMapApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/stations").WithTags("Maps");
        group.MapGet("/geojson", All)
            .AllowAnonymous()
            .WithName("StationsGeoJson")
            .WithSummary("All active stations as GeoJSON")
            .WithDescription("Public, for map apps: an RFC 7946 FeatureCollection (longitude first, WGS-84) of active stations in id order, optionally inside `bbox=minLon,minLat,maxLon,maxLat`, paged by `page` and `pageSize` (default 1000, at most 5000).")
            .Produces<StationFeatureCollection>(contentType: GeoJsonContentType);
        return group;
    }

    internal static Results<JsonHttpResult<StationFeatureCollection>, ValidationProblem> All(StationIndex index, string? bbox, int? page, int? pageSize)
    {
        var errors = new Dictionary<string, string[]>();
        var (number, size) = Paging(errors, page, pageSize);
        double[]? box = null;
        if (!string.IsNullOrWhiteSpace(bbox))
        {
            var parts = bbox.Split(',');
            var values = parts.Select(p => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) ? v : double.NaN).ToArray();
            if (values.Length != 4 || values.Any(double.IsNaN)
                || values[0] is < -180 or > 180 || values[2] is < -180 or > 180
                || values[1] is < -90 or > 90 || values[3] is < -90 or > 90 || values[1] > values[3])
            {
                errors["bbox"] = ["bbox must be minLon,minLat,maxLon,maxLat in WGS-84 degrees (south before north; west after east crosses the antimeridian)."];
            }
            else
            {
                box = values;
            }
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var skip = (number - 1) * size;
        var (items, total) = box is null ? index.All(skip, size) : index.InBox(box[0], box[1], box[2], box[3], skip, size);
        return Collection(items, number, size, total);
    }

    internal static (int Page, int Size) Paging(Dictionary<string, string[]> errors, int? page, int? pageSize)
    {
        var number = page ?? 1;
        var size = pageSize ?? DefaultPageSize;
        if (number < 1)
        {
            errors["page"] = ["page starts at 1."];
        }
        if (size is < 1 or > MaxPageSize)
        {
            errors["pageSize"] = [$"pageSize must be between 1 and {MaxPageSize}."];
        }
        return (number, size);
    }

    internal static JsonHttpResult<StationFeatureCollection> Collection(IReadOnlyList<StationPin> pins, int page, int size, int total) =>
        TypedResults.Json(
            new StationFeatureCollection("FeatureCollection", [.. pins.Select(StationFeature.From)], page, size, total),
            PlatformJsonOptions,
            GeoJsonContentType);

    private static readonly System.Text.Json.JsonSerializerOptions PlatformJsonOptions = PlatformJson.Configure(new(System.Text.Json.JsonSerializerDefaults.Web));
}

using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Platform.ServiceDefaults.Http;
using Platform.Training.Data;

namespace Platform.Training.Apis;

public static class VenuesApi
{
    public static RouteGroupBuilder MapVenuesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/venues").WithTags("Venues").RequireAuthorization();
        group.MapGet("/", List)
            .WithName("ListVenues")
            .WithSummary("Red stations courses can be held at")
            .WithDescription("This service's local copy of the stations service's stations (fed by its events). Open ones only unless includeClosed=true; filter by district.");
        return group;
    }

    internal static async Task<Results<Ok<Page<VenueSummary>>, ValidationProblem>> List(
        TrainingDb db, [AsParameters] PageQuery paging, string? district, bool? includeClosed, CancellationToken ct)
    {
        // Only stations whose details are known (a closure may arrive before the opening).
        var query = db.Venues.AsNoTracking().Where(v => v.DetailsAsOf != null);
        if (includeClosed != true) { query = query.Where(v => v.ClosedAt == null); }
        if (!string.IsNullOrWhiteSpace(district)) { query = query.Where(v => v.District == district); }
        return TypedResults.Ok(await query.OrderBy(v => v.District).ThenBy(v => v.Name).ThenBy(v => v.Id)
            .Select(v => new VenueSummary(v.Id, v.Name, v.District, v.Latitude, v.Longitude, v.ClosedAt == null)).ToPageAsync(paging, ct));
    }
}

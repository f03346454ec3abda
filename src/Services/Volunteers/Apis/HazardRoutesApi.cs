using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.Security;
using Platform.Volunteers.Data;
using Platform.Volunteers.Domain;

namespace Platform.Volunteers.Apis;

/// <summary>One rule of the routing table; a blank district is the city-wide rule.</summary>
public sealed record HazardRouteView(HazardCategory Category, string? District, string Department, DateTimeOffset UpdatedAt);

public sealed record HazardRouteRequest(HazardCategory? Category, string? District, string? Department);

public static class HazardRoutesApi
{
    public static RouteGroupBuilder MapHazardRoutesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/hazard-routes").WithTags("Hazard routing");
        group.MapGet("/", List)
            .RequireAuthorization()
            .WithName("ListHazardRoutes")
            .WithSummary("The routing table: which department fixes which category, city-wide and per district");
        group.MapPut("/", Define)
            .RequireRoles(PlatformRoles.OrgOfficer, PlatformRoles.Operator)
            .WithName("DefineHazardRoute")
            .WithSummary("Set the department for a category (in one district, or city-wide when district is blank)")
            .WithDescription("Applies to reports taken in from now on; reports already routed keep their department.");
        group.MapDelete("/", Remove)
            .RequireRoles(PlatformRoles.OrgOfficer, PlatformRoles.Operator)
            .WithName("RemoveHazardRoute")
            .WithSummary("Remove a district's rule, so that the city-wide rule applies there again");
        return group;
    }

    internal static async Task<Results<Ok<Page<HazardRouteView>>, ValidationProblem>> List(
        VolunteersDb db, [AsParameters] PageQuery paging, string? district, CancellationToken ct)
    {
        var query = db.HazardRoutes.AsNoTracking();
        if (district is not null)
        {
            query = query.Where(r => r.District == district.Trim());
        }
        return TypedResults.Ok((await query.OrderBy(r => r.District).ThenBy(r => r.Category).ToPageAsync(paging, ct)).Map(ViewOf));
    }

    internal static async Task<Results<Ok<HazardRouteView>, ValidationProblem>> Define(
        HazardRouteRequest request, VolunteersDb db, TimeProvider clock, CancellationToken ct)
    {
        var defined = HazardRoute.Define(request.Category, request.District, request.Department, clock.GetUtcNow());
        if (!defined.IsValid)
        {
            return TypedResults.ValidationProblem(defined.Errors);
        }
        var route = defined.Value!;
        var existing = await db.HazardRoutes.FirstOrDefaultAsync(r => r.Category == route.Category && r.District == route.District, ct);
        if (existing is null)
        {
            db.HazardRoutes.Add(route);
        }
        else
        {
            existing.Reassign(route.Department, route.UpdatedAt);
            route = existing;
        }
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(ViewOf(route));
    }

    internal static async Task<Results<NoContent, NotFound, ValidationProblem>> Remove(
        string? category, string? district, VolunteersDb db, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (!KebabEnum.TryParse<HazardCategory>(category, out var parsed))
        {
            errors["category"] = [$"category must be one of {KebabEnum.Names<HazardCategory>()}."];
        }
        if (string.IsNullOrWhiteSpace(district))
        {
            // The city-wide rules are the last resort of routing: they are changed, never removed.
            errors["district"] = ["district is required: city-wide rules can be changed but not removed."];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var removed = await db.HazardRoutes.Where(r => r.Category == parsed && r.District == district!.Trim()).ExecuteDeleteAsync(ct);
        return removed == 0 ? TypedResults.NotFound() : TypedResults.NoContent();
    }

    private static HazardRouteView ViewOf(HazardRoute r) =>
        new(r.Category, r.District == HazardRouting.AnyDistrict ? null : r.District, r.Department, r.UpdatedAt);
}

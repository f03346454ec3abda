using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Platform.ServiceDefaults.Http;

namespace Platform.Communities;

/// <summary>A community as a service knows it from its local copy.</summary>
public sealed record CommunityView(Guid Id, string Name, string District, string Street, double Latitude, double Longitude);

/// <summary><c>GET /communities</c> over a service's local copy: the same endpoint in every service that keeps one.</summary>
public static class CommunityDirectoryApi
{
    public static RouteGroupBuilder MapCommunityDirectory(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/communities").WithTags("Communities").RequireAuthorization();
        group.MapGet("/", List)
            .WithName("ListLocalCommunities")
            .WithSummary("Communities known to this service")
            .WithDescription("Pages through this service's local copy of the communities registered with the organizations service. Filter by district.");
        group.MapGet("/{id:guid}", Get)
            .WithName("GetLocalCommunity")
            .WithSummary("One community from this service's local copy");
        return group;
    }

    private static async Task<Ok<Page<CommunityView>>> List(
        CommunityDirectory directory, [AsParameters] PageQuery paging, string? district, CancellationToken ct)
    {
        var query = directory.Communities;
        if (!string.IsNullOrWhiteSpace(district))
        {
            query = query.Where(c => c.District == district);
        }
        return TypedResults.Ok(await query
            .OrderBy(c => c.District).ThenBy(c => c.Name).ThenBy(c => c.Id)
            .Select(c => new CommunityView(c.Id, c.Name, c.District, c.Street, c.Latitude, c.Longitude))
            .ToPageAsync(paging, ct));
    }

    private static async Task<Results<Ok<CommunityView>, NotFound>> Get(CommunityDirectory directory, Guid id, CancellationToken ct)
    {
        var c = await directory.Communities.FirstOrDefaultAsync(x => x.Id == id, ct);
        return c is null
            ? TypedResults.NotFound()
            : TypedResults.Ok(new CommunityView(c.Id, c.Name, c.District, c.Street, c.Latitude, c.Longitude));
    }
}

using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Platform.Partners.Data;
using Platform.Partners.Domain;
using Platform.ServiceDefaults.Data;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.Security;
using Platform.ServiceDefaults.Validation;

namespace Platform.Partners.Apis;

public sealed record RegisterAgencyRequest(string? Name, string? ClientId, int? MaxConcurrentDeliveries);

public sealed record AgencyResponse(Guid Id, string Name, string ClientId, int MaxConcurrentDeliveries, DateTimeOffset RegisteredAt)
{
    public static AgencyResponse From(Agency a) => new(a.Id, a.Name, a.ClientId, a.MaxConcurrentDeliveries, a.RegisteredAt);
}

public static class AgenciesApi
{
    public static RouteGroupBuilder MapAgenciesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/agencies").WithTags("Agencies");
        group.MapPost("/", Register)
            .RequireRoles(PlatformRoles.Operator)
            .AcceptsIdempotencyKey()
            .WithName("RegisterAgency")
            .WithSummary("Register a partner agency")
            .WithDescription("Links a partner agency to its client in the identity service (create the client there first, with role partner-agency).");
        group.MapGet("/", List)
            .RequireRoles(PlatformRoles.Operator)
            .WithName("ListAgencies")
            .WithSummary("List partner agencies");
        group.MapGet("/me", Me)
            .RequireRoles(PlatformRoles.PartnerAgency)
            .WithName("GetOwnAgency")
            .WithSummary("The calling agency");
        return group;
    }

    private static async Task<Results<Created<AgencyResponse>, ValidationProblem, ProblemHttpResult>> Register(
        RegisterAgencyRequest request, PartnersDb db, TimeProvider clock, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var name = errors.Text("name", request.Name, Agency.NameMaxLength);
        var clientId = errors.Text("clientId", request.ClientId, Agency.ClientIdMaxLength);
        if (request.MaxConcurrentDeliveries is < 1 or > 64)
        {
            errors.Add("maxConcurrentDeliveries", "Must be between 1 and 64.");
        }
        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }
        var agency = Agency.Register(name, clientId, request.MaxConcurrentDeliveries, clock.GetUtcNow());
        db.Agencies.Add(agency);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            return Refusal.Conflict("Client already registered", $"An agency with client id '{clientId}' is already registered.").ToProblem();
        }
        return TypedResults.Created($"/agencies/{agency.Id}", AgencyResponse.From(agency));
    }

    private static async Task<Results<Ok<Page<AgencyResponse>>, ValidationProblem>> List(PartnersDb db, [AsParameters] PageQuery paging, CancellationToken ct)
    {
        var query = db.Agencies.AsNoTracking().OrderBy(a => a.Name).ThenBy(a => a.Id);
        return TypedResults.Ok((await query.ToPageAsync(paging, ct)).Map(AgencyResponse.From));
    }

    private static async Task<Results<Ok<AgencyResponse>, NotFound>> Me(ClaimsPrincipal user, PartnersDb db, CancellationToken ct) =>
        await db.CurrentAgencyAsync(user, ct) is { } agency ? TypedResults.Ok(AgencyResponse.From(agency)) : TypedResults.NotFound();
}

internal static class AgencyAccess
{
    /// <summary>The agency the caller's client belongs to (client credentials: <c>client_id</c>, else the subject).</summary>
    public static Task<Agency?> CurrentAgencyAsync(this PartnersDb db, ClaimsPrincipal user, CancellationToken ct)
    {
        var clientId = user.FindFirstValue(PlatformClaims.ClientId) ?? user.FindFirstValue(PlatformClaims.Subject);
        return clientId is null || !user.IsInRole(PlatformRoles.PartnerAgency)
            ? Task.FromResult<Agency?>(null)
            : db.Agencies.AsNoTracking().SingleOrDefaultAsync(a => a.ClientId == clientId, ct);
    }
}

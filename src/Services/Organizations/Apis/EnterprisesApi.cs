using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Platform.Organizations.Data;
using Platform.Organizations.Domain;
using Platform.ServiceDefaults.Data;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.Messaging;
using Platform.ServiceDefaults.Security;
using Platform.ServiceDefaults.Validation;

namespace Platform.Organizations.Apis;

public sealed record RegisterEnterpriseRequest(string? Name, string? CreditCode, Industry? Industry, string? District, Guid? CommunityId = null);

public sealed record EnterpriseResponse(Guid Id, string Name, string CreditCode, Industry Industry, string? District, DateTimeOffset RegisteredAt, Guid? CommunityId = null)
{
    public static EnterpriseResponse From(Enterprise e) => new(e.Id, e.Name, e.CreditCode, e.Industry, e.District, e.RegisteredAt, e.CommunityId);
}

public static class EnterprisesApi
{
    public static RouteGroupBuilder MapEnterprisesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/enterprises").WithTags("Enterprises")
            // Any signed-in user reads the directory; only organization officers and operators change it.
            .RequireAuthorization();
        group.MapPost("/", Register)
            .RequireRoles(PlatformRoles.OrgOfficer, PlatformRoles.Operator)
            .AcceptsIdempotencyKey()
            .WithName("RegisterEnterprise")
            .WithSummary("Register an enterprise or depot")
            .WithDescription("Registers a delivery, ride-hail or live-stream enterprise by its Unified Social Credit Code (GB 32100-2015, check character verified), optionally with the community it is in (where it falls back to when no organization covers it). A code already registered is refused with 409. Publishes EnterpriseRegistered.");
        group.MapGet("/", List)
            .WithName("ListEnterprises")
            .WithSummary("List enterprises")
            .WithDescription("Pages through registered enterprises, optionally of one industry or district.");
        group.MapGet("/{id:guid}", Get)
            .WithName("GetEnterprise")
            .WithSummary("One enterprise");
        return group;
    }

    internal static async Task<Results<Created<EnterpriseResponse>, ValidationProblem, ProblemHttpResult>> Register(
        RegisterEnterpriseRequest request, OrganizationsDb db, TimeProvider clock, CancellationToken ct)
    {
        var registered = Enterprise.Register(request.Name, request.CreditCode, request.Industry, request.District, clock.GetUtcNow(), request.CommunityId);
        if (!registered.IsValid)
        {
            return TypedResults.ValidationProblem(registered.Errors);
        }
        if (request.CommunityId is { } communityId && !await db.Communities.AnyAsync(c => c.Id == communityId, ct))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["communityId"] = [$"There is no community {communityId}."] });
        }
        var enterprise = registered.Value!;
        db.Enterprises.Add(enterprise);
        db.Publish(enterprise.ToEvent(), clock);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            return Refusal.Conflict("This credit code is already registered.", $"An enterprise with credit code {enterprise.CreditCode} already exists.").ToProblem();
        }
        return TypedResults.Created($"/enterprises/{enterprise.Id}", EnterpriseResponse.From(enterprise));
    }

    internal static async Task<Results<Ok<Page<EnterpriseResponse>>, ValidationProblem>> List(
        OrganizationsDb db, [AsParameters] PageQuery paging, string? industry, string? district, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var industryFilter = KebabEnum.Filter<Industry>(industry, "industry", errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var query = db.Enterprises.AsNoTracking();
        if (industryFilter is not null)
        {
            query = query.Where(e => e.Industry == industryFilter);
        }
        if (!string.IsNullOrWhiteSpace(district))
        {
            query = query.Where(e => e.District == district);
        }
        return TypedResults.Ok((await query.OrderBy(e => e.Name).ThenBy(e => e.Id).ToPageAsync(paging, ct)).Map(EnterpriseResponse.From));
    }

    internal static async Task<Results<Ok<EnterpriseResponse>, NotFound>> Get(Guid id, OrganizationsDb db, CancellationToken ct)
    {
        var enterprise = await db.Enterprises.AsNoTracking().FirstOrDefaultAsync(e => e.Id == id, ct);
        return enterprise is null ? TypedResults.NotFound() : TypedResults.Ok(EnterpriseResponse.From(enterprise));
    }
}

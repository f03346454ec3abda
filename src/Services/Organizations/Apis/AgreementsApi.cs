using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Platform.Organizations.Data;
using Platform.Organizations.Domain;
using Platform.ServiceDefaults.Data;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.Security;
using Platform.ServiceDefaults.Time;
using Platform.ServiceDefaults.Validation;

namespace Platform.Organizations.Apis;

public sealed record SignAgreementRequest(Guid? EnterpriseId, Guid? CommunityId, DateOnly? SignedOn, string? Terms);

public sealed record AgreementResponse(Guid Id, Guid EnterpriseId, Guid CommunityId, DateOnly SignedOn, string Terms)
{
    public static AgreementResponse From(JointBuildingAgreement a) => new(a.Id, a.EnterpriseId, a.CommunityId, a.SignedOn, a.Terms);
}

/// <summary>Joint-building agreements (联建共建) between enterprises and community Party organizations.</summary>
public static class AgreementsApi
{
    public static RouteGroupBuilder MapAgreementsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/agreements").WithTags("Joint-building agreements")
            .RequireRoles(PlatformRoles.OrgOfficer, PlatformRoles.Operator);
        group.MapPost("/", Sign)
            .AcceptsIdempotencyKey()
            .WithName("RecordAgreement")
            .WithSummary("Record a joint-building agreement between an enterprise and a community")
            .WithDescription("The same enterprise, community and signing date recorded twice is a 409.");
        group.MapGet("/", List)
            .WithName("ListAgreements")
            .WithSummary("Agreements by enterprise (enterpriseId) or by community (communityId)");
        group.MapGet("/{id:guid}", Get)
            .WithName("GetAgreement")
            .WithSummary("One agreement");
        return group;
    }

    internal static async Task<Results<Created<AgreementResponse>, ValidationProblem, ProblemHttpResult>> Sign(
        SignAgreementRequest request, OrganizationsDb db, TimeProvider clock, CancellationToken ct)
    {
        var signed = JointBuildingAgreement.Sign(request.EnterpriseId, request.CommunityId, request.SignedOn, request.Terms, CityClock.Today(clock), clock.GetUtcNow());
        if (!signed.IsValid)
        {
            return TypedResults.ValidationProblem(signed.Errors);
        }
        var agreement = signed.Value!;
        var errors = new Dictionary<string, string[]>();
        if (!await db.Enterprises.AnyAsync(e => e.Id == agreement.EnterpriseId, ct))
        {
            errors["enterpriseId"] = [$"There is no enterprise {agreement.EnterpriseId}."];
        }
        if (!await db.Communities.AnyAsync(c => c.Id == agreement.CommunityId, ct))
        {
            errors["communityId"] = [$"There is no community {agreement.CommunityId}."];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        db.Agreements.Add(agreement);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            return Refusal.Conflict("This agreement is already recorded.", $"The enterprise and the community already have an agreement signed on {agreement.SignedOn:yyyy-MM-dd}.").ToProblem();
        }
        return TypedResults.Created($"/agreements/{agreement.Id}", AgreementResponse.From(agreement));
    }

    internal static async Task<Results<Ok<Page<AgreementResponse>>, ValidationProblem>> List(
        OrganizationsDb db, [AsParameters] PageQuery paging, Guid? enterpriseId, Guid? communityId, CancellationToken ct)
    {
        var query = db.Agreements.AsNoTracking();
        if (enterpriseId is not null)
        {
            query = query.Where(a => a.EnterpriseId == enterpriseId);
        }
        if (communityId is not null)
        {
            query = query.Where(a => a.CommunityId == communityId);
        }
        return TypedResults.Ok((await query.OrderByDescending(a => a.SignedOn).ThenBy(a => a.Id).ToPageAsync(paging, ct)).Map(AgreementResponse.From));
    }

    internal static async Task<Results<Ok<AgreementResponse>, NotFound>> Get(Guid id, OrganizationsDb db, CancellationToken ct)
    {
        var agreement = await db.Agreements.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, ct);
        return agreement is null ? TypedResults.NotFound() : TypedResults.Ok(AgreementResponse.From(agreement));
    }
}

using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Platform.Organizations.Application;
using Platform.Organizations.Data;
using Platform.Organizations.Domain;
using Platform.ServiceDefaults.Data;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.Messaging;
using Platform.ServiceDefaults.Security;
using Platform.ServiceDefaults.Time;
using Platform.ServiceDefaults.Validation;

namespace Platform.Organizations.Apis;

public sealed record ApplyToFoundRequest(string? Name, OrganizationKind? Kind, Guid? ParentId, DateOnly? AppliedOn, IReadOnlyList<Guid>? EnterpriseIds, Guid? LocalCommunityId);

public sealed record ApproveRequest(DateOnly? ApprovedOn, string? ApprovingBody);

public sealed record RejectRequest(DateOnly? RejectedOn, string? Reason);

public sealed record MoveRequest(Guid? ParentId);

public sealed record CoverEnterpriseRequest(Guid? EnterpriseId);

public sealed record OrganizationResponse(
    Guid Id, string Name, OrganizationKind Kind, Guid? ParentId, Guid? LocalCommunityId, FoundingStatus Status,
    DateOnly AppliedOn, DateOnly? ApprovedOn, string? ApprovingBody, DateOnly? RejectedOn, string? RejectionReason,
    IReadOnlyList<Guid> EnterpriseIds)
{
    public static OrganizationResponse From(PartyOrganization o) => new(
        o.Id, o.Name, o.Kind, o.ParentId, o.LocalCommunityId, o.Status, o.AppliedOn, o.ApprovedOn, o.ApprovingBody,
        o.RejectedOn, o.RejectionReason, [.. o.EnterpriseIds.Order()]);
}

/// <summary>An enterprise no established organization covers, and the local organization it falls back to (if its community has one).</summary>
public sealed record UncoveredEnterpriseResponse(Guid EnterpriseId, string Name, string? District, Guid? CommunityId, Guid? FallbackOrganizationId, Guid? PendingApplicationId);

public static class OrganizationsApi
{
    /// <summary>The deepest tree walked when checking for cycles; real trees are a handful of levels deep.</summary>
    private const int MaxDepth = 64;

    public static RouteGroupBuilder MapOrganizationsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/organizations").WithTags("Organizations")
            .RequireRoles(PlatformRoles.OrgOfficer, PlatformRoles.Operator);
        group.MapPost("/", Apply)
            .AcceptsIdempotencyKey()
            .WithName("ApplyToFoundOrganization")
            .WithSummary("Apply to found a Party organization")
            .WithDescription("Records an application (kind, parent, the enterprises it will cover, optionally the community it is the local organization of). An enterprise already covered or asked for by another organization is a 409.");
        group.MapGet("/", List)
            .WithName("ListOrganizations")
            .WithSummary("List organizations")
            .WithDescription("Pages through organizations, filtered by kind, status, parent (parentId) or top level only (topLevel=true).");
        group.MapGet("/{id:guid}", Get)
            .WithName("GetOrganization")
            .WithSummary("One organization");
        group.MapPost("/{id:guid}/approval", Approve)
            .WithName("ApproveOrganization")
            .WithSummary("Approve an application: the organization is established")
            .WithDescription("Publishes PartyOrganizationEstablished; party members of the enterprises it covers (and, for a local organization, of its community) are placed in it.");
        group.MapPost("/{id:guid}/rejection", Reject)
            .WithName("RejectOrganization")
            .WithSummary("Reject an application with a reason");
        group.MapPut("/{id:guid}/parent", Move)
            .WithName("MoveOrganization")
            .WithSummary("Move an organization under another parent (or to the top)")
            .WithDescription("A move that would put an organization under itself or one of its descendants is refused with 422.");
        group.MapPost("/{id:guid}/enterprises", Cover)
            .WithName("CoverEnterprise")
            .WithSummary("Add an enterprise (depot) to those an organization covers")
            .WithDescription("Party members of that enterprise placed by fallback move into the organization once it is established.");
        app.MapGet("/enterprises/uncovered", Uncovered)
            .WithTags("Organizations")
            .RequireRoles(PlatformRoles.OrgOfficer, PlatformRoles.Operator)
            .WithName("ListUncoveredEnterprises")
            .WithSummary("Enterprises no established organization covers (fallback placement, 属地兜底)")
            .WithDescription("Each with the local organization of its community it falls back to, when there is one, and a pending application if any.");
        return group;
    }

    internal static async Task<Results<Created<OrganizationResponse>, ValidationProblem, ProblemHttpResult>> Apply(
        ApplyToFoundRequest request, OrganizationsDb db, TimeProvider clock, CancellationToken ct)
    {
        PartyOrganization? parent = null;
        if (request.ParentId is { } parentId)
        {
            parent = await db.Organizations.AsNoTracking().FirstOrDefaultAsync(o => o.Id == parentId, ct);
            if (parent is null)
            {
                return Refusal.Invalid("parentId", $"There is no organization {parentId}.").ToProblem();
            }
        }
        var enterpriseIds = request.EnterpriseIds?.Distinct().ToList() ?? [];
        var known = await db.Enterprises.Where(e => enterpriseIds.Contains(e.Id)).Select(e => e.Id).ToListAsync(ct);
        var unknown = enterpriseIds.Except(known).Where(e => e != Guid.Empty).ToList();
        if (unknown.Count > 0)
        {
            return Refusal.Invalid("enterpriseIds", $"Unknown enterprises: {string.Join(", ", unknown)}.").ToProblem();
        }
        if (request.LocalCommunityId is { } communityId && communityId != Guid.Empty && !await db.Communities.AnyAsync(c => c.Id == communityId, ct))
        {
            return Refusal.Invalid("localCommunityId", $"There is no community {communityId}.").ToProblem();
        }
        var applied = PartyOrganization.ApplyToFound(request.Name, request.Kind, request.AppliedOn, enterpriseIds, request.LocalCommunityId, parent,
            CityClock.Today(clock), clock.GetUtcNow());
        if (!applied.IsValid)
        {
            return TypedResults.ValidationProblem(applied.Errors);
        }
        var organization = applied.Value!;
        if (await CoverageConflictAsync(db, enterpriseIds, ct) is { } taken)
        {
            return taken;
        }
        if (request.LocalCommunityId is { } local
            && await db.Organizations.FirstOrDefaultAsync(o => o.LocalCommunityId == local && o.Status != FoundingStatus.Rejected, ct) is { } existing)
        {
            return Refusal.Conflict("The community already has a local organization.", $"{existing.Name} ({existing.Id}) is the local organization of community {local}.").ToProblem();
        }
        db.Organizations.Add(organization);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            return Refusal.Conflict("An enterprise or community was claimed at the same time.", "Another organization was just given one of these enterprises or this community; reload and try again.").ToProblem();
        }
        return TypedResults.Created($"/organizations/{organization.Id}", OrganizationResponse.From(organization));
    }

    internal static async Task<Results<Ok<Page<OrganizationResponse>>, ValidationProblem>> List(
        OrganizationsDb db, [AsParameters] PageQuery paging, string? kind, string? status, Guid? parentId, bool? topLevel, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var kindFilter = KebabEnum.Filter<OrganizationKind>(kind, "kind", errors);
        var statusFilter = KebabEnum.Filter<FoundingStatus>(status, "status", errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var query = db.Organizations.AsNoTracking();
        if (kindFilter is not null)
        {
            query = query.Where(o => o.Kind == kindFilter);
        }
        if (statusFilter is not null)
        {
            query = query.Where(o => o.Status == statusFilter);
        }
        if (parentId is not null)
        {
            query = query.Where(o => o.ParentId == parentId);
        }
        if (topLevel == true)
        {
            query = query.Where(o => o.ParentId == null);
        }
        return TypedResults.Ok((await query.Include(o => o.Coverage).OrderBy(o => o.Name).ThenBy(o => o.Id)
            .AsSplitQuery().ToPageAsync(paging, ct)).Map(OrganizationResponse.From));
    }

    internal static async Task<Results<Ok<OrganizationResponse>, NotFound>> Get(Guid id, OrganizationsDb db, CancellationToken ct)
    {
        var organization = await db.Organizations.AsNoTracking().Include(o => o.Coverage).FirstOrDefaultAsync(o => o.Id == id, ct);
        return organization is null ? TypedResults.NotFound() : TypedResults.Ok(OrganizationResponse.From(organization));
    }

    internal static async Task<Results<Ok<OrganizationResponse>, NotFound, ValidationProblem, ProblemHttpResult>> Approve(
        Guid id, ApproveRequest request, OrganizationsDb db, MemberPlacements placements, TimeProvider clock, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await placements.LockForOrganizationChangeAsync(ct);
        var organization = await db.Organizations.Include(o => o.Coverage).FirstOrDefaultAsync(o => o.Id == id, ct);
        if (organization is null)
        {
            return TypedResults.NotFound();
        }
        if (organization.Approve(request.ApprovedOn, request.ApprovingBody, CityClock.Today(clock)) is { } refusal)
        {
            return refusal.ToProblem();
        }
        db.Publish(organization.ToEstablishedEvent(), clock);
        try
        {
            // Saved first so that placement sees the organization as established.
            await db.SaveChangesAsync(ct);
            await placements.PlaceAfterEstablishingAsync(organization, ct);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Refusal.Conflict("The organization or a member changed at the same time.", "Reload and approve again.").ToProblem();
        }
        return TypedResults.Ok(OrganizationResponse.From(organization));
    }

    internal static async Task<Results<Ok<OrganizationResponse>, NotFound, ValidationProblem, ProblemHttpResult>> Reject(
        Guid id, RejectRequest request, OrganizationsDb db, TimeProvider clock, CancellationToken ct)
    {
        var organization = await db.Organizations.Include(o => o.Coverage).FirstOrDefaultAsync(o => o.Id == id, ct);
        if (organization is null)
        {
            return TypedResults.NotFound();
        }
        if (organization.Reject(request.RejectedOn, request.Reason, CityClock.Today(clock)) is { } refusal)
        {
            return refusal.ToProblem();
        }
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(OrganizationResponse.From(organization));
    }

    internal static async Task<Results<Ok<OrganizationResponse>, NotFound, ValidationProblem, ProblemHttpResult>> Move(
        Guid id, MoveRequest request, OrganizationsDb db, CancellationToken ct)
    {
        var organization = await db.Organizations.Include(o => o.Coverage).FirstOrDefaultAsync(o => o.Id == id, ct);
        if (organization is null)
        {
            return TypedResults.NotFound();
        }
        PartyOrganization? parent = null;
        var ancestry = new List<Guid>();
        if (request.ParentId is { } parentId)
        {
            parent = await db.Organizations.AsNoTracking().FirstOrDefaultAsync(o => o.Id == parentId, ct);
            if (parent is null)
            {
                return Refusal.Invalid("parentId", $"There is no organization {parentId}.").ToProblem();
            }
            ancestry = await AncestryAsync(db, parent, ct);
        }
        if (organization.MoveUnder(parent, ancestry) is { } refusal)
        {
            return refusal.ToProblem();
        }
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(OrganizationResponse.From(organization));
    }

    internal static async Task<Results<Ok<OrganizationResponse>, NotFound, ValidationProblem, ProblemHttpResult>> Cover(
        Guid id, CoverEnterpriseRequest request, OrganizationsDb db, MemberPlacements placements, CancellationToken ct)
    {
        if (request.EnterpriseId is not { } enterpriseId || enterpriseId == Guid.Empty)
        {
            return Refusal.Invalid("enterpriseId", "enterpriseId is required.").ToProblem();
        }
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await placements.LockForOrganizationChangeAsync(ct);
        var organization = await db.Organizations.Include(o => o.Coverage).FirstOrDefaultAsync(o => o.Id == id, ct);
        if (organization is null)
        {
            return TypedResults.NotFound();
        }
        if (!await db.Enterprises.AnyAsync(e => e.Id == enterpriseId, ct))
        {
            return Refusal.Invalid("enterpriseId", $"There is no enterprise {enterpriseId}.").ToProblem();
        }
        if (organization.Cover(enterpriseId) is { } refusal)
        {
            return refusal.ToProblem();
        }
        if (await CoverageConflictAsync(db, [enterpriseId], ct) is { } taken)
        {
            return taken;
        }
        try
        {
            await db.SaveChangesAsync(ct);
            if (organization.IsEstablished)
            {
                await placements.PlaceAfterEstablishingAsync(organization, ct);
                await db.SaveChangesAsync(ct);
            }
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            return Refusal.Conflict("The enterprise was claimed at the same time.", "Another organization was just given this enterprise.").ToProblem();
        }
        catch (DbUpdateConcurrencyException)
        {
            return Refusal.Conflict("A member changed at the same time.", "Reload and try again.").ToProblem();
        }
        return TypedResults.Ok(OrganizationResponse.From(organization));
    }

    internal static async Task<Results<Ok<Page<UncoveredEnterpriseResponse>>, ValidationProblem>> Uncovered(
        OrganizationsDb db, [AsParameters] PageQuery paging, string? district, CancellationToken ct)
    {
        var established = db.Organizations.Where(o => o.Status == FoundingStatus.Approved);
        var covered = db.CoveredEnterprises.Where(c => !c.Released && established.Any(o => o.Id == c.OrganizationId)).Select(c => c.EnterpriseId);
        var query = db.Enterprises.AsNoTracking().Where(e => !covered.Contains(e.Id));
        if (!string.IsNullOrWhiteSpace(district))
        {
            query = query.Where(e => e.District == district);
        }
        return TypedResults.Ok(await query.OrderBy(e => e.Name).ThenBy(e => e.Id)
            .Select(e => new UncoveredEnterpriseResponse(
                e.Id, e.Name, e.District, e.CommunityId,
                established.Where(o => o.LocalCommunityId != null && o.LocalCommunityId == e.CommunityId).Select(o => (Guid?)o.Id).FirstOrDefault(),
                db.CoveredEnterprises.Where(c => c.EnterpriseId == e.Id && !c.Released).Select(c => (Guid?)c.OrganizationId).FirstOrDefault())).ToPageAsync(paging, ct));
    }

    /// <summary>The parent, grandparent, ... of <paramref name="start"/>, including itself; stops at <see cref="MaxDepth"/>.</summary>
    private static async Task<List<Guid>> AncestryAsync(OrganizationsDb db, PartyOrganization start, CancellationToken ct)
    {
        var ancestry = new List<Guid> { start.Id };
        var next = start.ParentId;
        while (next is { } id && ancestry.Count < MaxDepth && !ancestry.Contains(id))
        {
            ancestry.Add(id);
            next = await db.Organizations.Where(o => o.Id == id).Select(o => o.ParentId).FirstOrDefaultAsync(ct);
        }
        return ancestry;
    }

    private static async Task<ProblemHttpResult?> CoverageConflictAsync(OrganizationsDb db, List<Guid> enterpriseIds, CancellationToken ct)
    {
        if (enterpriseIds.Count == 0)
        {
            return null;
        }
        var taken = await db.CoveredEnterprises.Where(c => !c.Released && enterpriseIds.Contains(c.EnterpriseId))
            .Join(db.Organizations, c => c.OrganizationId, o => o.Id, (c, o) => new { c.EnterpriseId, o.Id, o.Name })
            .FirstOrDefaultAsync(ct);
        return taken is null
            ? null
            : Refusal.Conflict("The enterprise is already covered.", $"Enterprise {taken.EnterpriseId} is covered by (or asked for by) {taken.Name} ({taken.Id}).").ToProblem();
    }
}

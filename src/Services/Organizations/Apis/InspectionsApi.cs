using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Platform.Organizations.Data;
using Platform.Organizations.Domain;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.Messaging;
using Platform.ServiceDefaults.Security;
using Platform.ServiceDefaults.Time;
using Platform.ServiceDefaults.Validation;

namespace Platform.Organizations.Apis;

public sealed record PlanInspectionRequest(Guid? EnterpriseId, Department? Department, DateOnly? PlannedOn);

public sealed record CompleteInspectionRequest(DateOnly? CompletedOn, IReadOnlyList<CombinedCheck>? Checks, IReadOnlyList<string?>? Problems);

public sealed record ResolveProblemRequest(DateOnly? ResolvedOn, string? Note);

public sealed record ProblemResponse(Guid Id, string Description, ProblemStatus Status, DateOnly? ResolvedOn, string? ResolutionNote);

public sealed record InspectionResponse(
    Guid Id, Guid EnterpriseId, Department Department, DateOnly PlannedOn, InspectionStatus Status, DateOnly? CompletedOn,
    IReadOnlyList<CombinedCheck> Checks, bool AllFourDone, IReadOnlyList<ProblemResponse> Problems)
{
    public static InspectionResponse From(Inspection i) => new(
        i.Id, i.EnterpriseId, i.Department, i.PlannedOn, i.Status, i.CompletedOn, i.ChecksDone, i.AllFourDone,
        [.. i.Problems.OrderBy(p => p.Id).Select(p => new ProblemResponse(p.Id, p.Description, p.Status, p.ResolvedOn, p.ResolutionNote))]);
}

public sealed record DrawSpotCheckRequest(int? Count, string? Seed, OrganizationKind? Kind);

public sealed record SpotCheckResponse(Guid Id, string Seed, int Count, OrganizationKind? Kind, int Candidates, IReadOnlyList<Guid> Picked, DateTimeOffset DrawnAt, string DrawnBy, bool Reproducible)
{
    public static SpotCheckResponse From(SpotCheck s) => new(s.Id, s.Seed, s.Count, s.Kind, s.CandidateIds.Count, s.PickedIds, s.DrawnAt, s.DrawnBy, s.IsReproducible());
}

public sealed record SpotCheckCandidatesResponse(Guid SpotCheckId, string Seed, IReadOnlyList<Guid> CandidateIds);

/// <summary>"Four at the same time" (四同时) inspections and random spot checks.</summary>
public static class InspectionsApi
{
    public static IEndpointRouteBuilder MapInspectionsApi(this IEndpointRouteBuilder app)
    {
        var inspections = app.MapGroup("/inspections").WithTags("Inspections")
            .RequireRoles(PlatformRoles.OrgOfficer, PlatformRoles.Operator);
        inspections.MapPost("/", Plan)
            .AcceptsIdempotencyKey()
            .WithName("PlanInspection")
            .WithSummary("Plan a visit by a department to an enterprise");
        inspections.MapGet("/", List)
            .WithName("ListInspections")
            .WithSummary("List inspections by enterprise, department or status");
        inspections.MapGet("/{id:guid}", Get)
            .WithName("GetInspection")
            .WithSummary("One inspection with its problems");
        inspections.MapPost("/{id:guid}/completion", Complete)
            .WithName("CompleteInspection")
            .WithSummary("Complete a visit: the combined checks done and the problems found")
            .WithDescription("Publishes InspectionCompleted with the number of problems found.");
        inspections.MapPost("/{id:guid}/problems/{problemId:guid}/resolution", Resolve)
            .WithName("ResolveInspectionProblem")
            .WithSummary("Resolve a problem found on a visit, with a date and a note");

        var spotChecks = app.MapGroup("/spot-checks").WithTags("Spot checks")
            .RequireRoles(PlatformRoles.OrgOfficer, PlatformRoles.Operator);
        spotChecks.MapPost("/", Draw)
            .AcceptsIdempotencyKey()
            .WithName("DrawSpotCheck")
            .WithSummary("Pick K established organizations at random, with a recorded seed")
            .WithDescription("The pick ranks each candidate by SHA-256 of \"seed:organization-id\" and takes the K lowest; the seed and the candidates are recorded so anyone can reproduce it.");
        spotChecks.MapGet("/", ListSpotChecks)
            .WithName("ListSpotChecks")
            .WithSummary("Spot checks drawn, latest first");
        spotChecks.MapGet("/{id:guid}", GetSpotCheck)
            .WithName("GetSpotCheck")
            .WithSummary("One spot check, re-verified from its seed and candidates");
        spotChecks.MapGet("/{id:guid}/candidates", SpotCheckCandidates)
            .WithName("GetSpotCheckCandidates")
            .WithSummary("The candidates a spot check drew from, for an independent audit");
        return app;
    }

    internal static async Task<Results<Created<InspectionResponse>, ValidationProblem, ProblemHttpResult>> Plan(
        PlanInspectionRequest request, OrganizationsDb db, TimeProvider clock, CancellationToken ct)
    {
        var planned = Inspection.Plan(request.EnterpriseId, request.Department, request.PlannedOn, clock.GetUtcNow());
        if (!planned.IsValid)
        {
            return TypedResults.ValidationProblem(planned.Errors);
        }
        var inspection = planned.Value!;
        if (!await db.Enterprises.AnyAsync(e => e.Id == inspection.EnterpriseId, ct))
        {
            return Refusal.Invalid("enterpriseId", $"There is no enterprise {inspection.EnterpriseId}.").ToProblem();
        }
        db.Inspections.Add(inspection);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/inspections/{inspection.Id}", InspectionResponse.From(inspection));
    }

    internal static async Task<Results<Ok<Page<InspectionResponse>>, ValidationProblem>> List(
        OrganizationsDb db, [AsParameters] PageQuery paging, Guid? enterpriseId, string? department, string? status, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var departmentFilter = KebabEnum.Filter<Department>(department, "department", errors);
        var statusFilter = KebabEnum.Filter<InspectionStatus>(status, "status", errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var query = db.Inspections.AsNoTracking();
        if (enterpriseId is not null)
        {
            query = query.Where(i => i.EnterpriseId == enterpriseId);
        }
        if (departmentFilter is not null)
        {
            query = query.Where(i => i.Department == departmentFilter);
        }
        if (statusFilter is not null)
        {
            query = query.Where(i => i.Status == statusFilter);
        }
        return TypedResults.Ok((await query.Include(i => i.Problems).OrderByDescending(i => i.PlannedOn).ThenBy(i => i.Id)
            .AsSplitQuery().ToPageAsync(paging, ct)).Map(InspectionResponse.From));
    }

    internal static async Task<Results<Ok<InspectionResponse>, NotFound>> Get(Guid id, OrganizationsDb db, CancellationToken ct)
    {
        var inspection = await db.Inspections.AsNoTracking().Include(i => i.Problems).FirstOrDefaultAsync(i => i.Id == id, ct);
        return inspection is null ? TypedResults.NotFound() : TypedResults.Ok(InspectionResponse.From(inspection));
    }

    internal static async Task<Results<Ok<InspectionResponse>, NotFound, ValidationProblem, ProblemHttpResult>> Complete(
        Guid id, CompleteInspectionRequest request, OrganizationsDb db, TimeProvider clock, CancellationToken ct)
    {
        var inspection = await db.Inspections.Include(i => i.Problems).FirstOrDefaultAsync(i => i.Id == id, ct);
        if (inspection is null)
        {
            return TypedResults.NotFound();
        }
        if (inspection.Complete(request.CompletedOn, request.Checks, request.Problems, CityClock.Today(clock), clock.GetUtcNow()) is { } refusal)
        {
            return refusal.ToProblem();
        }
        db.Publish(inspection.ToCompletedEvent(), clock);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(InspectionResponse.From(inspection));
    }

    internal static async Task<Results<Ok<InspectionResponse>, NotFound, ValidationProblem, ProblemHttpResult>> Resolve(
        Guid id, Guid problemId, ResolveProblemRequest request, OrganizationsDb db, TimeProvider clock, CancellationToken ct)
    {
        var inspection = await db.Inspections.Include(i => i.Problems).FirstOrDefaultAsync(i => i.Id == id, ct);
        if (inspection is null || inspection.Problems.All(p => p.Id != problemId))
        {
            return TypedResults.NotFound();
        }
        if (inspection.ResolveProblem(problemId, request.ResolvedOn, request.Note, CityClock.Today(clock)) is { } refusal)
        {
            return refusal.ToProblem();
        }
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(InspectionResponse.From(inspection));
    }

    internal static async Task<Results<Created<SpotCheckResponse>, ValidationProblem>> Draw(
        DrawSpotCheckRequest request, ClaimsPrincipal user, OrganizationsDb db, TimeProvider clock, CancellationToken ct)
    {
        var candidates = db.Organizations.Where(o => o.Status == FoundingStatus.Approved);
        if (request.Kind is { } kind)
        {
            candidates = candidates.Where(o => o.Kind == kind);
        }
        var ids = await candidates.Select(o => o.Id).ToListAsync(ct);
        var drawn = SpotCheck.Draw(request.Count, request.Seed, request.Kind, ids,
            user.FindFirstValue(PlatformClaims.Subject) ?? "unknown", clock.GetUtcNow());
        if (!drawn.IsValid)
        {
            return TypedResults.ValidationProblem(drawn.Errors);
        }
        var spotCheck = drawn.Value!;
        db.SpotChecks.Add(spotCheck);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/spot-checks/{spotCheck.Id}", SpotCheckResponse.From(spotCheck));
    }

    internal static async Task<Results<Ok<Page<SpotCheckResponse>>, ValidationProblem>> ListSpotChecks(
        OrganizationsDb db, [AsParameters] PageQuery paging, CancellationToken ct)
    {
        return TypedResults.Ok((await db.SpotChecks.AsNoTracking().OrderByDescending(s => s.DrawnAt).ThenBy(s => s.Id).ToPageAsync(paging, ct)).Map(SpotCheckResponse.From));
    }

    internal static async Task<Results<Ok<SpotCheckResponse>, NotFound>> GetSpotCheck(Guid id, OrganizationsDb db, CancellationToken ct)
    {
        var spotCheck = await db.SpotChecks.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, ct);
        return spotCheck is null ? TypedResults.NotFound() : TypedResults.Ok(SpotCheckResponse.From(spotCheck));
    }

    internal static async Task<Results<Ok<SpotCheckCandidatesResponse>, NotFound>> SpotCheckCandidates(Guid id, OrganizationsDb db, CancellationToken ct)
    {
        var spotCheck = await db.SpotChecks.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, ct);
        return spotCheck is null ? TypedResults.NotFound() : TypedResults.Ok(new SpotCheckCandidatesResponse(spotCheck.Id, spotCheck.Seed, spotCheck.CandidateIds));
    }
}

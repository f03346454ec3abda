using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Platform.Organizations.Data;
using Platform.Organizations.Domain;
using Platform.ServiceDefaults.Security;

namespace Platform.Organizations.Apis;

/// <summary>Established organizations by kind.</summary>
public sealed record OrganizationCounts(int IndustryCommittees, int EnterpriseCommittees, int GeneralBranches, int Branches, int Applied, int Rejected);

public sealed record StatsResponse(
    OrganizationCounts Organizations,
    int Enterprises,
    int EnterprisesCovered,
    int EnterprisesUncovered,
    int Members,
    int FallbackMembers,
    int InspectionsPlanned,
    int InspectionsCompleted,
    int ProblemsFound,
    int ProblemsSolved,
    int Agreements,
    int SixHavesCompliant,
    int SixHavesNonCompliant,
    int NineDeliveriesComplete,
    int Communities);

/// <summary>The figures of the city's ledger (台账), counted from the records.</summary>
public static class StatsApi
{
    public static RouteHandlerBuilder MapStatsApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/stats", Get)
            .WithTags("Statistics")
            .RequireRoles(PlatformRoles.OrgOfficer, PlatformRoles.Operator)
            .WithName("GetStatistics")
            .WithSummary("Counts: communities, organizations by kind, enterprises covered, fallback members, inspections, problems found and solved, agreements, six-haves compliance");

    internal static async Task<Ok<StatsResponse>> Get(OrganizationsDb db, CancellationToken ct)
    {
        var byKindAndStatus = await db.Organizations.GroupBy(o => new { o.Kind, o.Status })
            .Select(g => new { g.Key.Kind, g.Key.Status, Count = g.Count() }).ToListAsync(ct);
        int Established(OrganizationKind kind) => byKindAndStatus.Where(x => x.Kind == kind && x.Status == FoundingStatus.Approved).Sum(x => x.Count);
        int InStatus(FoundingStatus status) => byKindAndStatus.Where(x => x.Status == status).Sum(x => x.Count);

        var established = db.Organizations.Where(o => o.Status == FoundingStatus.Approved);
        var enterprises = await db.Enterprises.CountAsync(ct);
        var covered = await db.CoveredEnterprises.Where(c => !c.Released && established.Any(o => o.Id == c.OrganizationId))
            .Select(c => c.EnterpriseId).Distinct().CountAsync(ct);
        var sixHaves = Enum.GetValues<SixHavesItem>().Length;
        var nine = Enum.GetValues<DeliveryItem>().Length;
        var compliant = await established.CountAsync(o => db.SixHaves.Count(c => c.OrganizationId == o.Id && c.VerifiedOn != null) == sixHaves, ct);
        var establishedCount = InStatus(FoundingStatus.Approved);

        return TypedResults.Ok(new StatsResponse(
            new OrganizationCounts(
                Established(OrganizationKind.IndustryCommittee), Established(OrganizationKind.EnterpriseCommittee),
                Established(OrganizationKind.GeneralBranch), Established(OrganizationKind.Branch),
                InStatus(FoundingStatus.Applied), InStatus(FoundingStatus.Rejected)),
            enterprises,
            covered,
            enterprises - covered,
            await db.Members.CountAsync(ct),
            await db.Members.CountAsync(m => m.Fallback, ct),
            await db.Inspections.CountAsync(i => i.Status == InspectionStatus.Planned, ct),
            await db.Inspections.CountAsync(i => i.Status == InspectionStatus.Completed, ct),
            await db.InspectionProblems.CountAsync(ct),
            await db.InspectionProblems.CountAsync(p => p.Status == ProblemStatus.Resolved, ct),
            await db.Agreements.CountAsync(ct),
            compliant,
            establishedCount - compliant,
            await established.CountAsync(o => db.Deliveries.Count(d => d.OrganizationId == o.Id) == nine, ct),
            await db.Communities.CountAsync(ct)));
    }
}

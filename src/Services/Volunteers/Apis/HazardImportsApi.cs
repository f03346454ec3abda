using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Platform.ServiceDefaults.Data;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.Security;
using Platform.ServiceDefaults.Validation;
using Platform.Volunteers.Application;
using Platform.Volunteers.Data;
using Platform.Volunteers.Domain;

namespace Platform.Volunteers.Apis;

public sealed record HazardImportRequest(IReadOnlyList<HistoricalHazard?>? Reports);

/// <summary>What became of one ledger report: the platform's id, and whether this call created it or an earlier import had.</summary>
public sealed record ImportedHazard(string ExternalId, Guid Id, bool Created);

public sealed record HazardImportResult(int Imported, int AlreadyImported, IReadOnlyList<ImportedHazard> Reports);

/// <summary>
/// Taking over the hazard reports of the city's earlier ledger, with their original times, so that lists and
/// <c>/stats</c> tell the months before the platform too.
/// </summary>
public static class HazardImportsApi
{
    public static RouteHandlerBuilder MapHazardImportsApi(this IEndpointRouteBuilder app) =>
        app.MapPost("/hazard-reports/imports", Import)
            .WithTags("Hazard reports")
            .RequireRoles(PlatformRoles.Operator)
            .AcceptsIdempotencyKey()
            .WithName("ImportHazardReports")
            .WithSummary("Import historical hazard reports from the city's earlier ledger (operators)")
            .WithDescription($"At most {HazardImport.MaxBatch} reports per call, each with its ledger id (externalId), category, position, optional description, reportedAt (in the past, at most two years ago) and its status history (status, at, notes), each step not before the one before and not in the future, following the workflow. Routed by today's routing table as live intake routes. The whole batch is checked first (400 naming the row and field) and kept in one transaction. A ledger id imported before is not imported again (created=false). Imported reports are marked source=imported, count in lists and /stats by their original dates, are never merged with other reports as duplicates, and publish no events.");

    /// <summary>
    /// Duplicate detection ("me too" within 30 m) does not apply to imports, neither among them nor against open
    /// reports: the ledger is what happened, and two reports of one hazard there were two reports then. A live report
    /// made later next to an imported report that is still open does join it, as it would join any open report.
    /// Idempotency is by ledger id (<c>externalId</c>, unique): re-sending a batch, or overlapping batches, never
    /// copies a report twice, and the first import of an id stands.
    /// </summary>
    internal static async Task<Results<Ok<HazardImportResult>, ValidationProblem, ProblemHttpResult>> Import(
        HazardImportRequest request, VolunteersDb db, HazardIntake intake, TimeProvider clock, VolunteersTelemetry telemetry, CancellationToken ct)
    {
        using var activity = VolunteersTelemetry.Activities.StartActivity("hazard.import");
        var errors = new FieldErrors();
        var hazards = HazardImport.Check(request.Reports, clock.GetUtcNow(), errors);
        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }
        var ids = hazards.Select(h => h.ExternalId).ToList();
        var existing = await db.HazardReports.AsNoTracking()
            .Where(r => r.ExternalId != null && ids.Contains(r.ExternalId))
            .ToDictionaryAsync(r => r.ExternalId!, r => r.Id, StringComparer.Ordinal, ct);
        var results = new List<ImportedHazard>(hazards.Count);
        var created = new List<HazardReport>();
        foreach (var hazard in hazards)
        {
            if (existing.TryGetValue(hazard.ExternalId, out var id))
            {
                results.Add(new ImportedHazard(hazard.ExternalId, id, Created: false));
                continue;
            }
            var route = await intake.RouteAsync(hazard.Category, hazard.Position, ct);
            var report = HazardImport.Build(hazard, route, errors);
            created.Add(report);
            results.Add(new ImportedHazard(hazard.ExternalId, report.Id, Created: true));
        }
        db.HazardReports.AddRange(created);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            return Refusal.Conflict("Another import of the same ledger reports ran at the same moment.", "Send the batch again: reports imported meanwhile are answered with created=false.").ToProblem();
        }
        activity?.SetTag("hazard.imported", created.Count);
        telemetry.Imported(created);
        return TypedResults.Ok(new HazardImportResult(created.Count, results.Count - created.Count, results));
    }
}

using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Platform.Rights.Application;
using Platform.Rights.Data;
using Platform.Rights.Domain;
using Platform.ServiceDefaults.Data;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.Messaging;
using Platform.ServiceDefaults.Security;
using Platform.ServiceDefaults.Validation;

namespace Platform.Rights.Apis;

public sealed record CaseImportRequest(IReadOnlyList<HistoricalCase?>? Cases);

public sealed record HistoricalActivity(
    string? ExternalId, string? Title, ActivityKind? Kind, IReadOnlyList<ActivityPartner>? Partners, DateTimeOffset? HeldAt,
    string? Location, string? District, int? Participants);

public sealed record ActivityImportRequest(IReadOnlyList<HistoricalActivity?>? Activities);

/// <summary>What became of one ledger record: the platform's id, and whether this call created it or an earlier import had.</summary>
public sealed record ImportedRecord(string ExternalId, Guid Id, bool Created);

/// <summary>The answer to an import: counts and ids only, never case content.</summary>
public sealed record ImportResult(int Imported, int AlreadyImported, IReadOnlyList<ImportedRecord> Records);

/// <summary>
/// Taking over the cases and joint activities of the city's earlier ledger with their original times, so that the
/// case lists, the overdue figures and <c>/stats</c> tell the months before the platform too.
/// </summary>
public static class ImportsApi
{
    public const int MaxActivityBatch = 100;

    public static IEndpointRouteBuilder MapImportsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/cases/imports", ImportCases)
            .WithTags("Cases")
            .RequireRoles(PlatformRoles.Operator)
            .AcceptsIdempotencyKey()
            .WithName("ImportCases")
            .WithSummary("Import historical cases from the city's earlier ledger (operators)")
            .WithDescription($"At most {CaseImport.MaxBatch} cases per call, each with its ledger id (externalId), what a live case has (category, channel, urgency, description, workerId or callbackNumber, district or communityId) and the times of its steps: submittedAt (in the past, at most two years ago), then optionally triagedAt, assignedAt with professionalId (in the register), startedAt, resolvedAt with resolution, closedAt with satisfaction, each not before the one before and not in the future, replayed through the live workflow rules. Content is encrypted like a live case's. The whole batch is checked first (400 naming the row and field) and kept in one transaction; a ledger id imported before is not imported again (created=false). No supervisor alert and no live counters; RightsCaseOpened and RightsCaseResolved are published with the original times, because partners only count them by month.");
        app.MapPost("/activities/imports", ImportActivities)
            .WithTags("Joint activities")
            .RequireRoles(PlatformRoles.Operator)
            .AcceptsIdempotencyKey()
            .WithName("ImportActivities")
            .WithSummary("Import joint activities held before the platform (operators)")
            .WithDescription($"At most {MaxActivityBatch} activities per call, each with its ledger id (externalId), title, kind, partners, location, district, heldAt (in the past, at most two years ago) and participants. Recorded as held at that time. A ledger id imported before is not imported again (created=false).");
        return app;
    }

    /// <summary>
    /// Imported cases are history: they raise no supervisor alert (a crisis in the ledger was handled then) and do not
    /// move the live counters. They do publish <c>RightsCaseOpened</c>/<c>RightsCaseResolved</c>: the only consumer
    /// (partners) turns them into monthly counts keyed by the events' own times, so the history lands in the months it
    /// happened in and the monthly reports agencies receive match <c>/stats</c>; no agency receives a single case.
    /// Idempotent by ledger id (<c>externalId</c>, unique), so a re-sent batch publishes nothing twice.
    /// </summary>
    internal static async Task<Results<Ok<ImportResult>, ValidationProblem, ProblemHttpResult>> ImportCases(
        CaseImportRequest request, RightsDb db, CaseOpening opening, TimeProvider clock, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var items = request.Cases ?? [];
        if (items.Count == 0 || items.Count > CaseImport.MaxBatch)
        {
            errors.Add("cases", $"cases must hold 1 to {CaseImport.MaxBatch} cases per call; send the ledger in batches.");
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }
        var named = items.Select(c => c?.ProfessionalId).OfType<Guid>().Distinct().ToList();
        var professionals = await db.Professionals.AsNoTracking().Where(p => named.Contains(p.Id)).ToDictionaryAsync(p => p.Id, ct);
        var now = clock.GetUtcNow();
        var cases = new List<RightsCase?>(items.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < items.Count; i++)
        {
            var field = $"cases[{i}]";
            var item = items[i];
            if (item?.CommunityId is not null)
            {
                var (district, districtErrors) = await opening.DistrictOfAsync(item.CommunityId, item.District, ct);
                foreach (var (name, messages) in districtErrors ?? [])
                {
                    errors.Add($"{field}.{name}", $"{field}.{messages[0]}");
                }
                item = item with { District = district };
            }
            if (item?.ExternalId is { } id && !seen.Add(id.Trim()))
            {
                errors.Add($"{field}.externalId", $"{field}.externalId appears twice in this batch.");
            }
            cases.Add(CaseImport.Replay(item, field, professionals, now, db.Protector.BlindIndex, errors));
        }
        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }
        var replayed = cases.Select(c => c!).ToList();
        var ids = replayed.Select(c => c.ExternalId!).ToList();
        var existing = await db.Cases.AsNoTracking().Where(c => c.ExternalId != null && ids.Contains(c.ExternalId))
            .ToDictionaryAsync(c => c.ExternalId!, c => c.Id, StringComparer.Ordinal, ct);
        var records = new List<ImportedRecord>(replayed.Count);
        foreach (var rightsCase in replayed)
        {
            if (existing.TryGetValue(rightsCase.ExternalId!, out var earlier))
            {
                records.Add(new ImportedRecord(rightsCase.ExternalId!, earlier, Created: false));
                continue;
            }
            db.Cases.Add(rightsCase);
            db.Publish(rightsCase.ToOpenedEvent(), clock);
            if (rightsCase.ResolvedAt is not null)
            {
                db.Publish(rightsCase.ToResolvedEvent(), clock);
            }
            records.Add(new ImportedRecord(rightsCase.ExternalId!, rightsCase.Id, Created: true));
        }
        return await SaveAsync(db, records, ct);
    }

    internal static async Task<Results<Ok<ImportResult>, ValidationProblem, ProblemHttpResult>> ImportActivities(
        ActivityImportRequest request, RightsDb db, TimeProvider clock, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var items = request.Activities ?? [];
        if (items.Count == 0 || items.Count > MaxActivityBatch)
        {
            errors.Add("activities", $"activities must hold 1 to {MaxActivityBatch} activities per call.");
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }
        var now = clock.GetUtcNow();
        var activities = new List<JointActivity>(items.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < items.Count; i++)
        {
            var field = $"activities[{i}]";
            if (items[i] is not { } a)
            {
                errors.Add(field, $"{field} is required.");
                continue;
            }
            if (a.ExternalId is { } id && !seen.Add(id.Trim()))
            {
                errors.Add($"{field}.externalId", $"{field}.externalId appears twice in this batch.");
            }
            var imported = JointActivity.Imported(a.ExternalId, a.Title, a.Kind, a.Partners, a.HeldAt, a.Location, a.District, a.Participants, now);
            foreach (var (name, messages) in imported.Errors)
            {
                foreach (var message in messages)
                {
                    errors.Add($"{field}.{name}", $"{field}.{message}");
                }
            }
            if (imported.Value is { } activity)
            {
                activities.Add(activity);
            }
        }
        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }
        var ids = activities.Select(a => a.ExternalId!).ToList();
        var existing = await db.Activities.AsNoTracking().Where(a => a.ExternalId != null && ids.Contains(a.ExternalId))
            .ToDictionaryAsync(a => a.ExternalId!, a => a.Id, StringComparer.Ordinal, ct);
        var records = new List<ImportedRecord>(activities.Count);
        foreach (var activity in activities)
        {
            if (existing.TryGetValue(activity.ExternalId!, out var earlier))
            {
                records.Add(new ImportedRecord(activity.ExternalId!, earlier, Created: false));
                continue;
            }
            db.Activities.Add(activity);
            records.Add(new ImportedRecord(activity.ExternalId!, activity.Id, Created: true));
        }
        return await SaveAsync(db, records, ct);
    }

    private static async Task<Results<Ok<ImportResult>, ValidationProblem, ProblemHttpResult>> SaveAsync(RightsDb db, List<ImportedRecord> records, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            return Refusal.Conflict("Another import of the same ledger records ran at the same moment.", "Send the batch again: records imported meanwhile are answered with created=false.").ToProblem();
        }
        var created = records.Count(r => r.Created);
        return TypedResults.Ok(new ImportResult(created, records.Count - created, records));
    }
}

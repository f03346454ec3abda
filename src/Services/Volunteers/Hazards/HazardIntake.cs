using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using Platform.ServiceDefaults.Data;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.Messaging;
using Platform.Volunteers.Data;
using Platform.Volunteers.Domain;

namespace Platform.Volunteers.Hazards;

public sealed class HazardIntakeOptions
{
    /// <summary>How many hazards one worker may report in an hour (new reports and "me too" together).</summary>
    public int ReportsPerHour { get; set; } = 20;
}

public enum IntakeOutcome
{
    /// <summary>A new report was created and routed.</summary>
    Created,
    /// <summary>The same hazard was already open: the worker now follows it.</summary>
    MeToo,
    /// <summary>The worker had already reported this open hazard.</summary>
    AlreadyFollowing,
    RateLimited,
}

public sealed record IntakeResult(IntakeOutcome Outcome, HazardReport? Report, TimeSpan RetryAfter)
{
    public string Notice => Outcome switch
    {
        IntakeOutcome.Created => $"Thank you. The report went to {Report!.Department}.",
        IntakeOutcome.MeToo => "This hazard was already reported and is being handled; your report was added to it and you will see it closed.",
        IntakeOutcome.AlreadyFollowing => "You have already reported this hazard; it is still open.",
        _ => "Too many reports in the last hour.",
    };
}

/// <summary>
/// Takes in a worker's hazard report: rate limit, duplicate check under advisory locks (so concurrent reports of one
/// hazard make one report), routing, and the HazardReported event, all in one transaction.
/// </summary>
public sealed class HazardIntake(VolunteersDb db, TimeProvider clock, IOptions<HazardIntakeOptions> options, VolunteersTelemetry telemetry)
{
    private static readonly TimeSpan Window = TimeSpan.FromHours(1);

    public async Task<IntakeResult> SubmitAsync(Guid workerId, HazardCategory category, GeoPoint position, string? description, PhotoContent? photo, CancellationToken ct)
    {
        using var activity = VolunteersTelemetry.Activities.StartActivity("hazard.report");
        activity?.SetTag("hazard.category", KebabEnum.Name(category));
        IntakeResult result;
        try
        {
            result = await SubmitOnceAsync(workerId, category, position, description, photo, ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            // The open report being joined changed status at the same moment: look again (it may be closed now).
            db.ChangeTracker.Clear();
            result = await SubmitOnceAsync(workerId, category, position, description, photo, ct);
        }
        activity?.SetTag("hazard.outcome", KebabEnum.Name(result.Outcome));
        activity?.SetTag("hazard.district", result.Report?.District);
        telemetry.Intake(result);
        return result;
    }

    private async Task<IntakeResult> SubmitOnceAsync(Guid workerId, HazardCategory category, GeoPoint position, string? description, PhotoContent? photo, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var tx = await db.Database.BeginOrJoinTransactionAsync(ct);
        var recent = await LockNeighbourhoodAndReadRecentAsync(DuplicateLocks.For(category, position).ToArray(), workerId, now - Window, ct);
        if (recent.Count >= options.Value.ReportsPerHour)
        {
            var retry = recent[0] + Window - now;
            return new IntakeResult(IntakeOutcome.RateLimited, null, retry < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : retry);
        }

        var box = position.BoxAround(HazardReport.DuplicateRadiusMetres);
        var candidates = await OpenReportsIn(db, category, box.MinLatitude, box.MaxLatitude, box.MinLongitude, box.MaxLongitude).ToListAsync(ct);
        var existing = candidates.Where(r => r.IsSameHazard(category, position)).MinBy(r => r.Position.DistanceTo(position));

        IntakeResult result;
        if (existing is not null)
        {
            if (await AlreadyFollows(db, existing.Id, workerId, ct))
            {
                return new IntakeResult(IntakeOutcome.AlreadyFollowing, existing, TimeSpan.Zero);
            }
            existing.AddMeToo(now);
            db.HazardSubmissions.Add(HazardSubmission.For(existing, workerId, meToo: true, now));
            if (photo is not null && !existing.HasPhoto)
            {
                AttachPhoto(existing, photo, now);
            }
            result = new IntakeResult(IntakeOutcome.MeToo, existing, TimeSpan.Zero);
        }
        else
        {
            var route = await RouteAsync(category, position, ct);
            var report = HazardReport.Intake(category, position, description, route, now);
            db.HazardReports.Add(report);
            db.HazardSubmissions.Add(HazardSubmission.For(report, workerId, meToo: false, now));
            if (photo is not null)
            {
                AttachPhoto(report, photo, now);
            }
            db.Publish(report.ToEvent(), clock);
            result = new IntakeResult(IntakeOutcome.Created, report, TimeSpan.Zero);
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return result;
    }

    private void AttachPhoto(HazardReport report, PhotoContent photo, DateTimeOffset now)
    {
        db.HazardPhotos.Add(HazardPhoto.For(report.Id, photo));
        report.AttachPhoto(now);
    }

    internal async Task<RoutedTo> RouteAsync(HazardCategory category, GeoPoint position, CancellationToken ct)
    {
        var nearest = await NearestCommunityAndRules(db, category, position.Latitude, position.Longitude, Math.Cos(position.Latitude * Math.PI / 180))
            .ToListAsync(ct);
        // With no community at all (a city not yet set up) the rules come on their own.
        var rules = nearest.Count > 0 ? nearest[0].Rules : await RulesFor(db, category).ToListAsync(ct);
        return HazardRouting.Route(category, position, rules, nearest.Select(c => (c.Id, c.District, new GeoPoint(c.Latitude, c.Longitude))));
    }

    /// <summary>
    /// In one round trip: takes the advisory locks of the report's neighbourhood (see <see cref="DuplicateLocks"/>),
    /// then reads the worker's submissions of the last hour for the rate limit. The statements of a batch run in
    /// order, so the duplicate check that follows always runs under the locks.
    /// </summary>
    private async Task<List<DateTimeOffset>> LockNeighbourhoodAndReadRecentAsync(long[] lockKeys, Guid workerId, DateTimeOffset since, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch((NpgsqlConnection)db.Database.GetDbConnection())
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("SELECT pg_advisory_xact_lock(k) FROM unnest($1) AS k ORDER BY k") { Parameters = { new() { Value = lockKeys } } },
                new NpgsqlBatchCommand("""SELECT "SubmittedAt" FROM hazard_submissions WHERE "WorkerId" = $1 AND "SubmittedAt" > $2 ORDER BY "SubmittedAt" LIMIT $3""")
                {
                    Parameters = { new() { Value = workerId }, new() { Value = since }, new() { Value = options.Value.ReportsPerHour } },
                },
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(ct);
        await reader.NextResultAsync(ct);
        var recent = new List<DateTimeOffset>();
        while (await reader.ReadAsync(ct))
        {
            recent.Add(reader.GetFieldValue<DateTimeOffset>(0));
        }
        return recent;
    }

    // The intake's queries, compiled once: every report runs them, and translating LINQ per call cost about a tenth
    // of the service's CPU per report (docs/benchmarks.md, hazard intake).

    /// <summary>Open reports of a category in a bounding box: a range scan of the partial index on open reports.</summary>
    private static readonly Func<VolunteersDb, HazardCategory, double, double, double, double, IAsyncEnumerable<HazardReport>> OpenReportsIn =
        EF.CompileAsyncQuery((VolunteersDb db, HazardCategory category, double minLatitude, double maxLatitude, double minLongitude, double maxLongitude) =>
            db.HazardReports.Where(r => r.Category == category
                                        && (r.Status == HazardStatus.Open || r.Status == HazardStatus.Acknowledged || r.Status == HazardStatus.InProgress)
                                        && r.Latitude >= minLatitude && r.Latitude <= maxLatitude
                                        && r.Longitude >= minLongitude && r.Longitude <= maxLongitude));

    private static readonly Func<VolunteersDb, Guid, Guid, CancellationToken, Task<bool>> AlreadyFollows =
        EF.CompileAsyncQuery((VolunteersDb db, Guid reportId, Guid workerId, CancellationToken _) =>
            db.HazardSubmissions.Any(s => s.ReportId == reportId && s.WorkerId == workerId));

    /// <summary>
    /// The nearest community by a flat approximation (fine at a city's scale; the domain checks the exact distance),
    /// with the category's routing rules in the same round trip.
    /// </summary>
    private static readonly Func<VolunteersDb, HazardCategory, double, double, double, IAsyncEnumerable<NearbyCommunity>> NearestCommunityAndRules =
        EF.CompileAsyncQuery((VolunteersDb db, HazardCategory category, double latitude, double longitude, double cos) => db.Communities.AsNoTracking()
            .OrderBy(c => (c.Latitude - latitude) * (c.Latitude - latitude)
                          + (c.Longitude - longitude) * cos * ((c.Longitude - longitude) * cos))
            .Take(1)
            .Select(c => new NearbyCommunity(c.Id, c.District, c.Latitude, c.Longitude, db.HazardRoutes.Where(r => r.Category == category).ToList())));

    private static readonly Func<VolunteersDb, HazardCategory, IAsyncEnumerable<HazardRoute>> RulesFor =
        EF.CompileAsyncQuery((VolunteersDb db, HazardCategory category) => db.HazardRoutes.AsNoTracking().Where(r => r.Category == category));

    private sealed record NearbyCommunity(Guid Id, string District, double Latitude, double Longitude, List<HazardRoute> Rules);
}

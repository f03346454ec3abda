using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using Platform.ServiceDefaults.Data;
using Platform.ServiceDefaults.Geography;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.Messaging;
using Platform.Volunteers.Data;
using Platform.Volunteers.Domain;

namespace Platform.Volunteers.Application;

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
        var around = await LookAroundAsync(workerId, category, position, now - Window, ct);
        if (around.Recent.Count >= options.Value.ReportsPerHour)
        {
            var retry = around.Recent[0] + Window - now;
            return new IntakeResult(IntakeOutcome.RateLimited, null, retry < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : retry);
        }

        var nearest = around.OpenNearby.Where(r => HazardReport.IsSameSpot(r.Position, position)).MinBy(r => r.Position.DistanceTo(position));
        // Only a "me too" needs the report itself (tracked, to count it); the entity still decides whether it matches.
        var existing = nearest is null ? null : await db.HazardReports.FindAsync([nearest.Id], ct);
        IntakeResult result;
        if (existing is not null && existing.IsSameHazard(category, position))
        {
            if (nearest!.Following)
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
            var report = HazardReport.Intake(category, position, description, around.Routing.Route(category, position), now);
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

    /// <summary>Where a report at <paramref name="position"/> goes, by today's routing rules (imports route this way too).</summary>
    internal async Task<RoutedTo> RouteAsync(HazardCategory category, GeoPoint position, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var batch = new NpgsqlBatch((NpgsqlConnection)db.Database.GetDbConnection());
            AddRoutingLookups(batch, category, position);
            await using var reader = await batch.ExecuteReaderAsync(ct);
            return (await ReadRoutingAsync(reader, ct)).Route(category, position);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// Everything the intake needs to decide, in one round trip (a batch's statements run in order): the advisory
    /// locks of the report's neighbourhood (see <see cref="DuplicateLocks"/>), then under them the worker's
    /// submissions of the last hour (the rate limit) and the open reports of the category near the place (the
    /// duplicate check), and the nearest community and the category's routing rules in case it is a new report.
    /// </summary>
    private async Task<Surroundings> LookAroundAsync(Guid workerId, HazardCategory category, GeoPoint position, DateTimeOffset since, CancellationToken ct)
    {
        var box = position.BoxAround(HazardReport.DuplicateRadiusMetres);
        await using var batch = new NpgsqlBatch((NpgsqlConnection)db.Database.GetDbConnection())
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("SELECT pg_advisory_xact_lock(k) FROM unnest($1) AS k ORDER BY k")
                {
                    Parameters = { new() { Value = DuplicateLocks.For(category, position).ToArray() } },
                },
                new NpgsqlBatchCommand("""SELECT "SubmittedAt" FROM hazard_submissions WHERE "WorkerId" = $1 AND "SubmittedAt" > $2 ORDER BY "SubmittedAt" LIMIT $3""")
                {
                    Parameters = { new() { Value = workerId }, new() { Value = since }, new() { Value = options.Value.ReportsPerHour } },
                },
                new NpgsqlBatchCommand(HazardIntakeSql.OpenReportsNear)
                {
                    Parameters =
                    {
                        new() { Value = category.ToString() },
                        new() { Value = box.MinLatitude }, new() { Value = box.MaxLatitude },
                        new() { Value = box.MinLongitude }, new() { Value = box.MaxLongitude },
                        new() { Value = workerId },
                    },
                },
            },
        };
        AddRoutingLookups(batch, category, position);
        await using var reader = await batch.ExecuteReaderAsync(ct);
        await reader.NextResultAsync(ct);
        var recent = new List<DateTimeOffset>();
        while (await reader.ReadAsync(ct))
        {
            recent.Add(reader.GetFieldValue<DateTimeOffset>(0));
        }
        await reader.NextResultAsync(ct);
        var open = new List<OpenReport>();
        while (await reader.ReadAsync(ct))
        {
            open.Add(new OpenReport(reader.GetGuid(0), new GeoPoint(reader.GetDouble(1), reader.GetDouble(2)), reader.GetBoolean(3)));
        }
        await reader.NextResultAsync(ct);
        return new Surroundings(recent, open, await ReadRoutingAsync(reader, ct));
    }

    /// <summary>
    /// The nearest community (by a flat approximation, fine at a city's scale; routing checks the exact distance)
    /// and the category's routing rules.
    /// </summary>
    private static void AddRoutingLookups(NpgsqlBatch batch, HazardCategory category, GeoPoint position)
    {
        batch.BatchCommands.Add(new NpgsqlBatchCommand("""
            SELECT "Id", "District", "Latitude", "Longitude" FROM communities
            ORDER BY ("Latitude" - $1) * ("Latitude" - $1) + ("Longitude" - $2) * $3 * (("Longitude" - $2) * $3)
            LIMIT 1
            """)
        {
            Parameters = { new() { Value = position.Latitude }, new() { Value = position.Longitude }, new() { Value = Math.Cos(position.Latitude * Math.PI / 180) } },
        });
        batch.BatchCommands.Add(new NpgsqlBatchCommand("""SELECT "District", "Department" FROM hazard_routes WHERE "Category" = $1""")
        {
            Parameters = { new() { Value = category.ToString() } },
        });
    }

    /// <summary>Reads the two results <see cref="AddRoutingLookups"/> asked for; the reader stands on the first.</summary>
    private static async Task<Routing> ReadRoutingAsync(NpgsqlDataReader reader, CancellationToken ct)
    {
        var communities = new List<(Guid, string, GeoPoint)>();
        while (await reader.ReadAsync(ct))
        {
            communities.Add((reader.GetGuid(0), reader.GetString(1), new GeoPoint(reader.GetDouble(2), reader.GetDouble(3))));
        }
        await reader.NextResultAsync(ct);
        var rules = new List<(string District, string Department)>();
        while (await reader.ReadAsync(ct))
        {
            rules.Add((reader.GetString(0), reader.GetString(1)));
        }
        return new Routing(communities, rules);
    }

    private sealed record OpenReport(Guid Id, GeoPoint Position, bool Following);

    private sealed record Routing(List<(Guid Id, string District, GeoPoint Office)> Communities, List<(string District, string Department)> Rules)
    {
        public RoutedTo Route(HazardCategory category, GeoPoint position) => HazardRouting.Route(category, position, Rules, Communities);
    }

    private sealed record Surroundings(List<DateTimeOffset> Recent, List<OpenReport> OpenNearby, Routing Routing);
}

/// <summary>The intake's SQL that others read too (the benchmark prints the duplicate check's plan).</summary>
public static class HazardIntakeSql
{
    /// <summary>
    /// Open reports of a category ($1) in a bounding box ($2-$5), and whether worker $6 already follows each: a range
    /// scan of the partial index on open reports (whose filter is <see cref="VolunteersDb.OpenReportFilter"/>).
    /// </summary>
    public const string OpenReportsNear = $"""
        SELECT r."Id", r."Latitude", r."Longitude",
               EXISTS (SELECT 1 FROM hazard_submissions s WHERE s."ReportId" = r."Id" AND s."WorkerId" = $6)
        FROM hazard_reports r
        WHERE r."Category" = $1 AND {VolunteersDb.OpenReportFilter}
          AND r."Latitude" >= $2 AND r."Latitude" <= $3 AND r."Longitude" >= $4 AND r."Longitude" <= $5
        """;
}

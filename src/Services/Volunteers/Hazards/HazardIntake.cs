using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
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
        var since = now - Window;
        var recent = await db.HazardSubmissions.AsNoTracking()
            .Where(s => s.WorkerId == workerId && s.SubmittedAt > since)
            .OrderBy(s => s.SubmittedAt)
            .Select(s => s.SubmittedAt)
            .Take(options.Value.ReportsPerHour)
            .ToListAsync(ct);
        if (recent.Count >= options.Value.ReportsPerHour)
        {
            var retry = recent[0] + Window - now;
            return new IntakeResult(IntakeOutcome.RateLimited, null, retry < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : retry);
        }

        await using var tx = await db.Database.BeginOrJoinTransactionAsync(ct);
        var keys = DuplicateLocks.For(category, position).ToArray();
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(k) FROM unnest({keys}) AS k ORDER BY k", ct);

        var box = position.BoxAround(HazardReport.DuplicateRadiusMetres);
        var candidates = await db.HazardReports
            .Where(r => r.Category == category
                        && (r.Status == HazardStatus.Open || r.Status == HazardStatus.Acknowledged || r.Status == HazardStatus.InProgress)
                        && r.Latitude >= box.MinLatitude && r.Latitude <= box.MaxLatitude
                        && r.Longitude >= box.MinLongitude && r.Longitude <= box.MaxLongitude)
            .ToListAsync(ct);
        var existing = candidates.Where(r => r.IsSameHazard(category, position)).MinBy(r => r.Position.DistanceTo(position));

        IntakeResult result;
        if (existing is not null)
        {
            if (await db.HazardSubmissions.AnyAsync(s => s.ReportId == existing.Id && s.WorkerId == workerId, ct))
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

    private async Task<RoutedTo> RouteAsync(HazardCategory category, GeoPoint position, CancellationToken ct)
    {
        // The nearest community by a flat approximation (fine at a city's scale); the domain checks the exact distance.
        var cos = Math.Cos(position.Latitude * Math.PI / 180);
        var nearest = await db.Communities.AsNoTracking()
            .OrderBy(c => (c.Latitude - position.Latitude) * (c.Latitude - position.Latitude)
                          + (c.Longitude - position.Longitude) * cos * ((c.Longitude - position.Longitude) * cos))
            .Select(c => new { c.Id, c.District, c.Latitude, c.Longitude })
            .Take(1)
            .ToListAsync(ct);
        var rules = await db.HazardRoutes.AsNoTracking().Where(r => r.Category == category).ToListAsync(ct);
        return HazardRouting.Route(category, position, rules, nearest.Select(c => (c.Id, c.District, new GeoPoint(c.Latitude, c.Longitude))));
    }
}

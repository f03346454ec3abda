using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.Messaging;
using Platform.ServiceDefaults.Security;
using Platform.ServiceDefaults.Validation;
using Platform.Volunteers.Application;
using Platform.Volunteers.Data;
using Platform.Volunteers.Domain;

namespace Platform.Volunteers.Apis;

public sealed record HazardReportRequest(HazardCategory? Category, double? Latitude, double? Longitude, string? Description);

/// <summary>A hazard report as anyone allowed to see it sees it: never who reported it.</summary>
public sealed record HazardReportView(
    Guid Id, HazardCategory Category, double Latitude, double Longitude, string? Description, string District, Guid? CommunityId,
    string Department, HazardStatus Status, string? StatusNotes, DateTimeOffset ReportedAt, DateTimeOffset UpdatedAt, DateTimeOffset? ClosedAt,
    int MeTooCount, string? PhotoUrl, HazardSource Source);

/// <summary>The answer to a worker's report: a new report, or the open one it joined ("me too").</summary>
public sealed record HazardIntakeResponse(bool MeToo, string Notice, HazardReportView Report);

public sealed record StatusChangeView(HazardStatus From, HazardStatus To, string? Notes, string By, DateTimeOffset ChangedAt);

public sealed record HazardReportDetail(HazardReportView Report, IReadOnlyList<StatusChangeView> History);

/// <summary>One of the worker's reports: the report and whether they joined it as a "me too".</summary>
public sealed record MyHazardReport(HazardReportView Report, bool MeToo, DateTimeOffset SubmittedAt);

public sealed record StatusChangeRequest(HazardStatus? Status, string? Notes);

public static class HazardReportsApi
{
    /// <summary>The request-body limit of photo uploads: the 5 MB photo plus room for a multipart envelope.</summary>
    public const long UploadLimitBytes = PhotoContent.MaxBytes + 1024 * 1024;

    public static RouteGroupBuilder MapHazardReportsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/hazard-reports").WithTags("Hazard reports");
        group.MapPost("/", Report)
            .RequireRoles(PlatformRoles.Worker)
            .AcceptsIdempotencyKey()
            .WithName("ReportHazard")
            .WithSummary("Report a hazard")
            .WithDescription("A worker reports a hazard at a position. It is routed at once to the responsible department (201). A report of the same category within 30 m of an open one joins it as a \"me too\" (200, meToo true) and the worker follows that report. Rate limited per worker (429 with Retry-After). Publishes HazardReported.");
        group.MapGet("/mine", ListMine)
            .RequireRoles(PlatformRoles.Worker)
            .WithName("ListMyHazardReports")
            .WithSummary("The hazards I reported or joined, with their status");
        group.MapGet("/", List)
            .RequireRoles(PlatformRoles.PartnerAgency, PlatformRoles.CommunityStaff, PlatformRoles.OrgOfficer, PlatformRoles.Operator)
            .WithName("ListHazardReports")
            .WithSummary("Hazard reports to handle")
            .WithDescription("A department's system sees the reports routed to it; community staff those of their communities; officers and operators all. Filter by category, status, district, department, source (live or imported).");
        group.MapGet("/{id:guid}", Get)
            .RequireRoles(PlatformRoles.Worker, PlatformRoles.PartnerAgency, PlatformRoles.CommunityStaff, PlatformRoles.OrgOfficer, PlatformRoles.Operator)
            .WithName("GetHazardReport")
            .WithSummary("One hazard report with its status history");
        group.MapPost("/{id:guid}/status", ChangeStatus)
            .RequireRoles(PlatformRoles.PartnerAgency, PlatformRoles.CommunityStaff, PlatformRoles.Operator)
            .WithName("ChangeHazardStatus")
            .WithSummary("Move a hazard report on: acknowledged, in-progress, closed (notes required) or rejected (reason required)")
            .WithDescription("Only the department the report is routed to, staff of its community, or an operator. Each change is kept and publishes HazardStatusChanged.");
        group.MapPut("/{id:guid}/photo", UploadPhoto)
            .RequireRoles(PlatformRoles.Worker)
            .WithMetadata(new RequestSizeLimitAttribute(UploadLimitBytes))
            .Accepts<byte[]>("image/jpeg", "image/png", "application/octet-stream")
            .WithName("UploadHazardPhoto")
            .WithSummary("Add a photo to a hazard I reported")
            .WithDescription("The body is the JPEG or PNG image itself (at most 5 MB), recognised by its content. A report has one photo.");
        group.MapGet("/{id:guid}/photo", GetPhoto)
            .AllowAnonymous()
            .WithName("GetHazardPhoto")
            .WithSummary("The photo of a hazard report (the media_url of Open311)");
        return group;
    }

    internal static async Task<Results<Created<HazardIntakeResponse>, Ok<HazardIntakeResponse>, ValidationProblem, ProblemHttpResult>> Report(
        HazardReportRequest request, ClaimsPrincipal user, HazardIntake intake, HttpContext http, CancellationToken ct)
    {
        if (user.WorkerId() is not { } workerId)
        {
            return WorkersApi.NoWorkerId();
        }
        var errors = HazardReport.ValidateIntake(request.Category, request.Latitude, request.Longitude, request.Description, out var category, out var position, out var description);
        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }
        var result = await intake.SubmitAsync(workerId, category, position, description, null, ct);
        if (result.Outcome == IntakeOutcome.RateLimited)
        {
            return RateLimited(http, result);
        }
        var response = new HazardIntakeResponse(result.Outcome != IntakeOutcome.Created, result.Notice, ViewOf(result.Report!, http));
        return result.Outcome == IntakeOutcome.Created
            ? TypedResults.Created($"/hazard-reports/{result.Report!.Id}", response)
            : TypedResults.Ok(response);
    }

    internal static ProblemHttpResult RateLimited(HttpContext http, IntakeResult result)
    {
        var seconds = (int)Math.Ceiling(result.RetryAfter.TotalSeconds);
        http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many hazard reports.",
            detail: $"You have reported many hazards in the last hour; try again in {seconds} s.");
    }

    internal static async Task<Results<Ok<Page<MyHazardReport>>, ValidationProblem, ProblemHttpResult>> ListMine(
        ClaimsPrincipal user, VolunteersDb db, HttpContext http, [AsParameters] PageQuery paging, CancellationToken ct)
    {
        if (user.WorkerId() is not { } workerId)
        {
            return WorkersApi.NoWorkerId();
        }
        var page = await db.HazardSubmissions.AsNoTracking().Where(s => s.WorkerId == workerId)
            .Join(db.HazardReports, s => s.ReportId, r => r.Id, (s, r) => new { Submission = s, Report = r })
            .OrderByDescending(x => x.Submission.SubmittedAt)
            .ToPageAsync(paging, ct);
        return TypedResults.Ok(page.Map(x => new MyHazardReport(ViewOf(x.Report, http), x.Submission.MeToo, x.Submission.SubmittedAt)));
    }

    internal static async Task<Results<Ok<Page<HazardReportView>>, ValidationProblem>> List(
        ClaimsPrincipal user, VolunteersDb db, HttpContext http, [AsParameters] PageQuery paging,
        string? category, string? status, string? district, string? department, string? source, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var categoryFilter = KebabEnum.Filter<HazardCategory>(category, "category", errors);
        var statusFilter = KebabEnum.Filter<HazardStatus>(status, "status", errors);
        var sourceFilter = KebabEnum.Filter<HazardSource>(source, "source", errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var query = db.HazardReports.AsNoTracking();
        if (!Access.SeesAllCommunities(user))
        {
            if (user.IsInRole(PlatformRoles.CommunityStaff))
            {
                var mine = user.CommunityIds().ToList();
                query = query.Where(r => r.CommunityId != null && mine.Contains(r.CommunityId.Value));
            }
            else
            {
                var own = Access.Department(user) ?? "";
                query = query.Where(r => r.Department == own);
            }
        }
        if (categoryFilter is { } c)
        {
            query = query.Where(r => r.Category == c);
        }
        if (statusFilter is { } s)
        {
            query = query.Where(r => r.Status == s);
        }
        if (!string.IsNullOrWhiteSpace(district))
        {
            query = query.Where(r => r.District == district);
        }
        if (sourceFilter is { } from)
        {
            query = query.Where(r => r.Source == from);
        }
        if (!string.IsNullOrWhiteSpace(department))
        {
            query = query.Where(r => r.Department == department);
        }
        return TypedResults.Ok((await query.OrderByDescending(r => r.ReportedAt).ThenBy(r => r.Id).ToPageAsync(paging, ct)).Map(r => ViewOf(r, http)));
    }

    internal static async Task<Results<Ok<HazardReportDetail>, NotFound>> Get(Guid id, ClaimsPrincipal user, VolunteersDb db, HttpContext http, CancellationToken ct)
    {
        var report = await db.HazardReports.AsNoTracking().Include(r => r.Changes).FirstOrDefaultAsync(r => r.Id == id, ct);
        if (report is null || !await MaySeeAsync(report, user, db, ct))
        {
            return TypedResults.NotFound();
        }
        return TypedResults.Ok(DetailOf(report, http));
    }

    internal static async Task<Results<Ok<HazardReportDetail>, NotFound, ValidationProblem, ProblemHttpResult>> ChangeStatus(
        Guid id, StatusChangeRequest request, ClaimsPrincipal user, VolunteersDb db, TimeProvider clock, HttpContext http, VolunteersTelemetry telemetry, CancellationToken ct)
    {
        using var activity = VolunteersTelemetry.Activities.StartActivity("hazard.status_change");
        var report = await db.HazardReports.Include(r => r.Changes).FirstOrDefaultAsync(r => r.Id == id, ct);
        var actor = Access.HazardActor(user);
        if (report is null || actor is null || !report.MayBeHandledBy(actor))
        {
            // Reports routed elsewhere are not shown to this caller at all.
            return TypedResults.NotFound();
        }
        var changed = report.ChangeStatus(request.Status, request.Notes, actor, clock.GetUtcNow());
        if (changed.Refusal is { } refused)
        {
            return refused.ToProblem();
        }
        db.Publish(changed.Value!, clock);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Refusal.Conflict("The report changed at the same moment; reload it and try again.").ToProblem();
        }
        activity?.SetTag("hazard.category", KebabEnum.Name(report.Category));
        activity?.SetTag("hazard.district", report.District);
        activity?.SetTag("hazard.status", KebabEnum.Name(report.Status));
        telemetry.StatusChanged(report);
        return TypedResults.Ok(DetailOf(report, http));
    }

    internal static async Task<Results<NoContent, NotFound, ValidationProblem, ProblemHttpResult>> UploadPhoto(
        Guid id, ClaimsPrincipal user, VolunteersDb db, TimeProvider clock, HttpRequest request, CancellationToken ct)
    {
        if (user.WorkerId() is not { } workerId)
        {
            return WorkersApi.NoWorkerId();
        }
        if (!await db.HazardSubmissions.AnyAsync(s => s.ReportId == id && s.WorkerId == workerId, ct))
        {
            return TypedResults.NotFound();
        }
        var bytes = await ReadBodyAsync(request, ct);
        var (photo, error) = PhotoContent.Recognise(bytes);
        if (photo is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["photo"] = [error!] });
        }
        var report = await db.HazardReports.FirstAsync(r => r.Id == id, ct);
        if (report.HasPhoto)
        {
            return Refusal.Conflict("This report already has a photo.").ToProblem();
        }
        db.HazardPhotos.Add(HazardPhoto.For(report.Id, photo));
        report.AttachPhoto(clock.GetUtcNow());
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ex is DbUpdateConcurrencyException || ex.InnerException is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation })
        {
            return Refusal.Conflict("This report already has a photo.").ToProblem();
        }
        return TypedResults.NoContent();
    }

    internal static async Task<Results<FileContentHttpResult, NotFound>> GetPhoto(Guid id, VolunteersDb db, CancellationToken ct)
    {
        var photo = await db.HazardPhotos.AsNoTracking().FirstOrDefaultAsync(p => p.ReportId == id, ct);
        return photo is null ? TypedResults.NotFound() : TypedResults.File(photo.Content, photo.ContentType);
    }

    /// <summary>Reads at most one byte more than a photo may have, so an oversized one is recognised without reading it all.</summary>
    internal static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > PhotoContent.MaxBytes)
            {
                break;
            }
        }
        return buffer.ToArray();
    }

    private static async Task<bool> MaySeeAsync(HazardReport report, ClaimsPrincipal user, VolunteersDb db, CancellationToken ct)
    {
        if (Access.SeesAllCommunities(user))
        {
            return true;
        }
        if (user.IsInRole(PlatformRoles.CommunityStaff) && report.CommunityId is { } community && user.CommunityIds().Contains(community))
        {
            return true;
        }
        if (Access.Department(user) is { } department && department == report.Department)
        {
            return true;
        }
        return user.WorkerId() is { } workerId && await db.HazardSubmissions.AnyAsync(s => s.ReportId == report.Id && s.WorkerId == workerId, ct);
    }

    internal static HazardReportView ViewOf(HazardReport r, HttpContext http) =>
        new(r.Id, r.Category, r.Latitude, r.Longitude, r.Description, r.District, r.CommunityId, r.Department, r.Status, r.StatusNotes,
            r.ReportedAt, r.UpdatedAt, r.ClosedAt, r.MeTooCount, r.HasPhoto ? PhotoUrl(http, r.Id) : null, r.Source);

    private static HazardReportDetail DetailOf(HazardReport r, HttpContext http) =>
        new(ViewOf(r, http), r.Changes.OrderBy(c => c.ChangedAt).Select(c => new StatusChangeView(c.From, c.To, c.Notes, c.ActorDepartment ?? c.ActorKind, c.ChangedAt)).ToList());

    /// <summary>
    /// The absolute address of a report's photo as the caller reaches this service: behind the gateway, from the
    /// X-Forwarded headers it adds (scheme, host, path prefix).
    /// </summary>
    internal static string PhotoUrl(HttpContext http, Guid id)
    {
        var headers = http.Request.Headers;
        var scheme = FirstValue(headers["X-Forwarded-Proto"]) ?? http.Request.Scheme;
        var host = FirstValue(headers["X-Forwarded-Host"]) ?? http.Request.Host.Value;
        var prefix = (FirstValue(headers["X-Forwarded-Prefix"]) ?? http.Request.PathBase.Value ?? "").TrimEnd('/');
        return $"{scheme}://{host}{prefix}/hazard-reports/{id}/photo";
    }

    private static string? FirstValue(Microsoft.Extensions.Primitives.StringValues values)
    {
        var first = values.ToString().Split(',', 2)[0].Trim();
        return first.Length == 0 ? null : first;
    }
}

using System.Globalization;
using System.Security.Claims;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.Security;
using Platform.Volunteers.Application;
using Platform.Volunteers.Data;
using Platform.Volunteers.Domain;

namespace Platform.Volunteers.Apis;

/// <summary>An Open311 GeoReport v2 service (a hazard category).</summary>
public sealed record Open311Service(
    [property: JsonPropertyName("service_code")] string ServiceCode,
    [property: JsonPropertyName("service_name")] string ServiceName,
    [property: JsonPropertyName("description")] string Description,
    [property: JsonPropertyName("metadata")] bool Metadata,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("keywords")] string Keywords,
    [property: JsonPropertyName("group")] string Group);

/// <summary>An Open311 service definition: this city asks for no extra attributes.</summary>
public sealed record Open311ServiceDefinition(
    [property: JsonPropertyName("service_code")] string ServiceCode,
    [property: JsonPropertyName("attributes")] IReadOnlyList<object> Attributes);

/// <summary>An Open311 service request (a hazard report), GeoReport v2 field names. Never names the reporter.</summary>
public sealed record Open311Request(
    [property: JsonPropertyName("service_request_id")] string ServiceRequestId,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("status_notes")] string? StatusNotes,
    [property: JsonPropertyName("service_name")] string ServiceName,
    [property: JsonPropertyName("service_code")] string ServiceCode,
    [property: JsonPropertyName("description")] string? Description,
    [property: JsonPropertyName("agency_responsible")] string AgencyResponsible,
    [property: JsonPropertyName("service_notice")] string? ServiceNotice,
    [property: JsonPropertyName("requested_datetime")] DateTimeOffset RequestedDatetime,
    [property: JsonPropertyName("updated_datetime")] DateTimeOffset UpdatedDatetime,
    [property: JsonPropertyName("expected_datetime")] DateTimeOffset? ExpectedDatetime,
    [property: JsonPropertyName("address")] string? Address,
    [property: JsonPropertyName("address_id")] string? AddressId,
    [property: JsonPropertyName("zipcode")] string? Zipcode,
    [property: JsonPropertyName("lat")] double Latitude,
    [property: JsonPropertyName("long")] double Longitude,
    [property: JsonPropertyName("media_url")] string? MediaUrl);

/// <summary>The answer to an Open311 POST: the id of the (new or joined) request.</summary>
public sealed record Open311Created(
    [property: JsonPropertyName("service_request_id")] string ServiceRequestId,
    [property: JsonPropertyName("service_notice")] string ServiceNotice,
    [property: JsonPropertyName("account_id")] string? AccountId);

/// <summary>
/// Open311 GeoReport v2 (JSON) over the hazard reports, for the city's existing 311 clients: services and requests
/// under <c>/open311/v2</c>, each path also with the <c>.json</c> format suffix the standard uses.
/// </summary>
public static class Open311Api
{
    /// <summary>Times are shown in the city's time (Asia/Shanghai, no daylight saving).</summary>
    private static readonly TimeSpan CityOffset = TimeSpan.FromHours(8);

    public static RouteGroupBuilder MapOpen311Api(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/open311/v2").WithTags("Open311 GeoReport v2");
        // Each list path also answers with the ".json" format suffix the standard uses; "{code}" and "{id}" match
        // "x.json" too, and their handlers strip the suffix.
        foreach (var suffix in new[] { "", ".json" })
        {
            var named = suffix.Length == 0 ? "" : "Json";
            group.MapGet($"/services{suffix}", Services)
                .AllowAnonymous()
                .WithName($"Open311Services{named}")
                .WithSummary("Open311: the hazard categories one can report");
            group.MapGet($"/requests{suffix}", Requests)
                .AllowAnonymous()
                .WithName($"Open311Requests{named}")
                .WithSummary("Open311: hazard reports, newest first (no reporter identity)")
                .WithDescription("Filters: service_request_id (comma-separated), service_code (comma-separated), start_date, end_date (ISO 8601), status (open, closed); paging with page and page_size (at most 200). The total is in X-Total-Count.");
            group.MapPost($"/requests{suffix}", Create)
                .RequireRoles(PlatformRoles.Worker)
                .AcceptsIdempotencyKey()
                .DisableAntiforgery()
                .WithMetadata(new RequestSizeLimitAttribute(HazardReportsApi.UploadLimitBytes))
                .WithName($"Open311CreateRequest{named}")
                .WithSummary("Open311: report a hazard (form fields service_code, lat, long, description; optional file media)")
                .WithDescription("Form-encoded or multipart. A report of the same service within 30 m of an open one joins it (200) instead of creating one (201).");
        }
        group.MapGet("/services/{code}", Definition)
            .AllowAnonymous()
            .WithName("Open311ServiceDefinition")
            .WithSummary("Open311: the definition of one service");
        group.MapGet("/requests/{id}", Request)
            .AllowAnonymous()
            .WithName("Open311Request")
            .WithSummary("Open311: one hazard report");
        return group;
    }

    internal static Ok<Open311Service[]> Services() =>
        TypedResults.Ok(HazardCategoryInfo.All.Select(ServiceOf).ToArray());

    internal static Results<Ok<Open311ServiceDefinition>, ProblemHttpResult> Definition(string code)
    {
        var info = HazardCategoryInfo.All.FirstOrDefault(c => c.Code == StripFormat(code));
        return info is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such service.", detail: $"Known service codes: {KebabEnum.Names<HazardCategory>()}.")
            : TypedResults.Ok(new Open311ServiceDefinition(info.Code, []));
    }

    internal static async Task<Results<Ok<Open311Request[]>, ValidationProblem>> Requests(
        VolunteersDb db, HttpContext http,
        [FromQuery(Name = "service_request_id")] string? serviceRequestId,
        [FromQuery(Name = "service_code")] string? serviceCode,
        [FromQuery(Name = "start_date")] string? startDate,
        [FromQuery(Name = "end_date")] string? endDate,
        [FromQuery(Name = "status")] string? status,
        [FromQuery(Name = "page")] string? page,
        [FromQuery(Name = "page_size")] string? pageSize,
        CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var ids = ParseList(serviceRequestId, "service_request_id", errors, v => Guid.TryParse(v, out var g) ? g : (Guid?)null);
        var codes = ParseList(serviceCode, "service_code", errors, v => KebabEnum.TryParse<HazardCategory>(v, out var c) ? c : (HazardCategory?)null);
        var statuses = ParseList(status, "status", errors, v => v is "open" or "closed" ? v : null);
        var from = ParseDate(startDate, "start_date", errors);
        var to = ParseDate(endDate, "end_date", errors);
        var pageNumber = ParseInt(page, "page", 1, int.MaxValue, 1, errors);
        var size = ParseInt(pageSize, "page_size", 1, PageQuery.MaxPageSize, PageQuery.DefaultPageSize, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var query = db.HazardReports.AsNoTracking();
        if (ids is not null)
        {
            query = query.Where(r => ids.Contains(r.Id));
        }
        if (codes is not null)
        {
            query = query.Where(r => codes.Contains(r.Category));
        }
        if (statuses is not null && statuses.Count == 1)
        {
            query = statuses[0] == "open"
                ? query.Where(r => r.Status != HazardStatus.Closed && r.Status != HazardStatus.Rejected)
                : query.Where(r => r.Status == HazardStatus.Closed || r.Status == HazardStatus.Rejected);
        }
        if (from is { } f)
        {
            query = query.Where(r => r.ReportedAt >= f);
        }
        if (to is { } t)
        {
            query = query.Where(r => r.ReportedAt <= t);
        }
        var total = await query.LongCountAsync(ct);
        var items = await query.OrderByDescending(r => r.ReportedAt).ThenBy(r => r.Id)
            .Skip((int)Math.Min(int.MaxValue, (long)(pageNumber - 1) * size)).Take(size).ToListAsync(ct);
        // Open311 answers a bare array; the total travels in a header.
        http.Response.Headers["X-Total-Count"] = total.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Ok(items.Select(r => RequestOf(r, http, null)).ToArray());
    }

    internal static async Task<Results<Ok<Open311Request[]>, ProblemHttpResult>> Request(string id, VolunteersDb db, HttpContext http, CancellationToken ct)
    {
        if (!Guid.TryParse(StripFormat(id), out var reportId)
            || await db.HazardReports.AsNoTracking().FirstOrDefaultAsync(r => r.Id == reportId, ct) is not { } report)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such service request.");
        }
        // GeoReport v2 answers a single request as a list of one.
        return TypedResults.Ok(new[] { RequestOf(report, http, null) });
    }

    internal static async Task<Results<Created<Open311Created[]>, Ok<Open311Created[]>, ValidationProblem, ProblemHttpResult>> Create(
        HttpRequest request, ClaimsPrincipal user, HazardIntake intake, CancellationToken ct)
    {
        if (user.WorkerId() is not { } workerId)
        {
            return WorkersApi.NoWorkerId();
        }
        if (!request.HasFormContentType)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Send the request as a form.",
                detail: "Open311 requests are application/x-www-form-urlencoded, or multipart/form-data with a media file.");
        }
        var form = await request.ReadFormAsync(ct);
        var errors = new Dictionary<string, string[]>();
        HazardCategory? category = null;
        var code = form["service_code"].ToString();
        if (string.IsNullOrWhiteSpace(code))
        {
            errors["service_code"] = ["service_code is required."];
        }
        else if (KebabEnum.TryParse<HazardCategory>(code, out var parsed))
        {
            category = parsed;
        }
        else
        {
            errors["service_code"] = [$"service_code must be one of {KebabEnum.Names<HazardCategory>()}."];
        }
        var lat = ParseDouble(form["lat"], "lat", errors);
        var lon = ParseDouble(form["long"], "long", errors);
        PhotoContent? photo = null;
        if (form.Files.GetFile("media") is { } media)
        {
            await using var stream = media.OpenReadStream();
            using var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer, ct);
            var (recognised, error) = PhotoContent.Recognise(buffer.ToArray());
            if (recognised is null)
            {
                errors["media"] = [error!];
            }
            photo = recognised;
        }
        var checks = HazardReport.ValidateIntake(category ?? HazardCategory.Other, lat ?? 0, lon ?? 0, form["description"].ToString(),
            out var validCategory, out var position, out var description, "lat", "long", "service_code");
        foreach (var (field, messages) in checks.ToDictionary())
        {
            errors.TryAdd(field, messages);
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var result = await intake.SubmitAsync(workerId, validCategory, position, description, photo, ct);
        if (result.Outcome == IntakeOutcome.RateLimited)
        {
            return HazardReportsApi.RateLimited(request.HttpContext, result);
        }
        var answer = new[] { new Open311Created(result.Report!.Id.ToString(), result.Notice, null) };
        return result.Outcome == IntakeOutcome.Created
            ? TypedResults.Created($"/open311/v2/requests/{result.Report.Id}.json", answer)
            : TypedResults.Ok(answer);
    }

    private static Open311Service ServiceOf(HazardCategoryInfo c) =>
        new(c.Code, c.Name, c.Description, false, "realtime", string.Join(',', c.Keywords), c.Group);

    internal static Open311Request RequestOf(HazardReport r, HttpContext http, string? notice)
    {
        var info = HazardCategoryInfo.Of(r.Category);
        return new Open311Request(
            r.Id.ToString(), r.Status.Open311(), r.StatusNotes, info.Name, info.Code, r.Description, r.Department, notice,
            r.ReportedAt.ToOffset(CityOffset), r.UpdatedAt.ToOffset(CityOffset), null, null, null, null,
            r.Latitude, r.Longitude, r.HasPhoto ? HazardReportsApi.PhotoUrl(http, r.Id) : null);
    }

    private static string StripFormat(string value) =>
        value.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? value[..^5] : value;

    private static List<T>? ParseList<T>(string? value, string field, Dictionary<string, string[]> errors, Func<string, T?> parse)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        var result = new List<T>();
        foreach (var part in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (parse(part) is { } parsed)
            {
                result.Add(parsed);
            }
            else
            {
                errors[field] = [$"'{part}' is not a valid {field}."];
                return null;
            }
        }
        if (result.Count > PageQuery.MaxPageSize)
        {
            errors[field] = [$"{field} lists at most {PageQuery.MaxPageSize} values."];
        }
        return result;
    }

    private static DateTimeOffset? ParseDate(string? value, string field, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            return parsed.ToUniversalTime();
        }
        errors[field] = [$"{field} must be an ISO 8601 date and time, e.g. 2026-11-25T08:00:00+08:00."];
        return null;
    }

    private static int ParseInt(string? value, string field, int min, int max, int fallback, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return fallback;
        }
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed >= min && parsed <= max)
        {
            return parsed;
        }
        errors[field] = [$"{field} must be a whole number between {min} and {max}."];
        return fallback;
    }

    private static double? ParseDouble(Microsoft.Extensions.Primitives.StringValues value, string field, Dictionary<string, string[]> errors)
    {
        var text = value.ToString();
        if (string.IsNullOrWhiteSpace(text))
        {
            errors[field] = [$"{field} is required (this city takes positions, not addresses)."];
            return null;
        }
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) && double.IsFinite(parsed))
        {
            return parsed;
        }
        errors[field] = [$"{field} must be a number in degrees (WGS-84)."];
        return null;
    }
}

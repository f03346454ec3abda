using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Platform.Rights.Application;
using Platform.Rights.Data;
using Platform.Rights.Domain;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.Security;
using Platform.ServiceDefaults.Time;

namespace Platform.Rights.Apis;

/// <summary>
/// A call as the call taker logs it. With <c>crisis</c> (risk of self-harm) the description, and the caller's worker
/// id or callback number, open a crisis case at once.
/// </summary>
public sealed record LogCallRequest(
    DateTimeOffset? StartedAt, int? DurationSeconds, CaseCategory? Category, CallOutcome? Outcome, Guid? CaseId,
    bool? Crisis, string? Description, Guid? WorkerId, string? CallbackNumber, string? District);

public sealed record CallView(
    Guid Id, DateTimeOffset StartedAt, DateOnly LocalDate, int DurationSeconds, CaseCategory Category, CallOutcome Outcome,
    bool Crisis, Guid? CaseId, Guid TakenBy)
{
    public static CallView From(HotlineCall c) => new(c.Id, c.StartedAt, c.LocalDate, c.DurationSeconds, c.Category, c.Outcome, c.Crisis, c.CaseId, c.TakenBy);
}

public sealed record CallStatsRow(DateOnly Date, CaseCategory Category, int Calls, int CrisisCalls, int CasesOpened, long TotalSeconds);

public sealed record CallStats(DateOnly From, DateOnly To, int Calls, int CrisisCalls, IReadOnlyList<CallStatsRow> Days);

public static class HotlineApi
{
    /// <summary>Per-day statistics cover at most a year per request.</summary>
    public const int MaxStatsDays = 366;

    public static RouteGroupBuilder MapHotlineApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/hotline").WithTags("Hotline");
        group.MapPost("/calls", Log)
            .RequireRoles(PlatformRoles.Professional, PlatformRoles.Supervisor)
            .AcceptsIdempotencyKey()
            .WithName("LogHotlineCall")
            .WithSummary("Log a hotline call; a crisis call opens a crisis case at once")
            .WithDescription("Time, duration, category, outcome, optionally the case it concerns. crisis=true opens a crisis case (1 h deadline) from description plus workerId or callbackNumber, alerts supervisors, and links the call to it. Publishes RightsCaseOpened for that case.");
        group.MapGet("/calls", List)
            .RequireRoles(PlatformRoles.Professional, PlatformRoles.Supervisor)
            .WithName("ListHotlineCalls")
            .WithSummary("Logged calls, newest first")
            .WithDescription("Filter by local date range (from, to: Asia/Shanghai dates), category, crisis.");
        group.MapGet("/stats", Stats)
            .RequireRoles(PlatformRoles.Supervisor, PlatformRoles.Operator)
            .WithName("HotlineStats")
            .WithSummary("Calls per local day and category")
            .WithDescription($"from and to are Asia/Shanghai dates (inclusive), at most {MaxStatsDays} days apart; default the last 30 days.");
        return group;
    }

    internal static async Task<Results<Created<CallView>, ValidationProblem>> Log(
        LogCallRequest request, ClaimsPrincipal user, RightsDb db, CaseOpening opening, TimeProvider clock, RightsTelemetry telemetry, CancellationToken ct)
    {
        using var activity = RightsTelemetry.Activities.StartActivity("rights.hotline.call");
        var now = clock.GetUtcNow();
        var taker = user.SubjectId() ?? Guid.Empty;
        var record = new CallRecord(request.StartedAt, request.DurationSeconds, request.Category, request.Outcome, request.Crisis ?? false, request.CaseId);
        RightsCase? crisisCase = null;
        var errors = new Dictionary<string, string[]>();
        if (record.Crisis)
        {
            var opened = RightsCase.Submit(
                new CaseSubmission(request.Category, CaseChannel.Hotline, Urgency.Crisis, request.Description, request.WorkerId,
                    request.CallbackNumber, request.District, taker),
                now, db.Protector.BlindIndex);
            crisisCase = opened.Value;
            foreach (var (field, messages) in opened.Errors)
            {
                errors[field] = messages;
            }
        }
        else if (request.Description is not null || request.WorkerId is not null || request.CallbackNumber is not null)
        {
            // What a caller says belongs in a case (encrypted), never in the call log.
            errors["description"] = ["Only a crisis call carries description, workerId or callbackNumber; open a case for anything else."];
        }
        else if (request.CaseId is not null && !await db.Cases.AnyAsync(c => c.Id == request.CaseId, ct))
        {
            errors["caseId"] = ["caseId is not a known case."];
        }
        var call = HotlineCall.Log(record, taker, now, crisisCase?.Id);
        foreach (var (field, messages) in call.Errors)
        {
            errors.TryAdd(field, messages);
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        if (crisisCase is not null)
        {
            opening.Open(crisisCase);
        }
        db.HotlineCalls.Add(call.Value!);
        await db.SaveChangesAsync(ct);
        activity?.SetTag("rights.category", KebabEnum.Name(call.Value!.Category));
        activity?.SetTag("rights.crisis", call.Value!.Crisis);
        telemetry.CallLogged(call.Value!);
        if (crisisCase is not null)
        {
            opening.Opened(crisisCase);
        }
        return TypedResults.Created($"/hotline/calls/{call.Value!.Id}", CallView.From(call.Value!));
    }

    internal static async Task<Results<Ok<Page<CallView>>, ValidationProblem>> List(
        RightsDb db, [AsParameters] PageQuery paging, DateOnly? from, DateOnly? to, string? category, bool? crisis, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var categoryFilter = KebabEnum.Filter<CaseCategory>(category, "category", errors);
        if (from is not null && to is not null && to < from)
        {
            errors["to"] = ["to must not be before from."];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var query = db.HotlineCalls.AsNoTracking();
        if (from is not null) { query = query.Where(c => c.LocalDate >= from); }
        if (to is not null) { query = query.Where(c => c.LocalDate <= to); }
        if (categoryFilter is not null) { query = query.Where(c => c.Category == categoryFilter); }
        if (crisis is not null) { query = query.Where(c => c.Crisis == crisis); }
        return TypedResults.Ok((await query.OrderByDescending(c => c.StartedAt).ThenByDescending(c => c.Id).ToPageAsync(paging, ct)).Map(CallView.From));
    }

    internal static async Task<Results<Ok<CallStats>, ValidationProblem>> Stats(
        RightsDb db, TimeProvider clock, DateOnly? from, DateOnly? to, CancellationToken ct)
    {
        var today = CityClock.DateOf(clock.GetUtcNow());
        var last = to ?? today;
        var first = from ?? last.AddDays(-29);
        if (last < first)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["to"] = ["to must not be before from."] });
        }
        if (last.DayNumber - first.DayNumber + 1 > MaxStatsDays)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["from"] = [$"from and to may be at most {MaxStatsDays} days apart."] });
        }
        // At most 366 days x 7 categories rows: bounded by the range check above.
        var rows = await db.HotlineCalls.AsNoTracking()
            .Where(c => c.LocalDate >= first && c.LocalDate <= last)
            .GroupBy(c => new { c.LocalDate, c.Category })
            .Select(g => new
            {
                g.Key.LocalDate,
                g.Key.Category,
                Calls = g.Count(),
                Crisis = g.Count(c => c.Crisis),
                Opened = g.Count(c => c.Outcome == CallOutcome.CaseOpened),
                Seconds = g.Sum(c => (long)c.DurationSeconds),
            })
            .ToListAsync(ct);
        var days = rows.OrderBy(r => r.LocalDate).ThenBy(r => r.Category)
            .Select(r => new CallStatsRow(r.LocalDate, r.Category, r.Calls, r.Crisis, r.Opened, r.Seconds)).ToList();
        return TypedResults.Ok(new CallStats(first, last, days.Sum(d => d.Calls), days.Sum(d => d.CrisisCalls), days));
    }
}

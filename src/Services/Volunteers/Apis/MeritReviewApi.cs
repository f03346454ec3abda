using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Platform.ServiceDefaults.Data;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.Security;
using Platform.ServiceDefaults.Time;
using Platform.ServiceDefaults.Validation;
using Platform.Volunteers.Data;
using Platform.Volunteers.Domain;

namespace Platform.Volunteers.Apis;

/// <summary>How many winners each title has a month. The city chose 12 industry experts over a year of reviews, so one a month.</summary>
public sealed class MeritReviewOptions
{
    public int IndustryExperts { get; set; } = 1;
    public int ExcellentCommunityVolunteers { get; set; } = 1;

    public int WinnersOf(MeritTitle title) => title == MeritTitle.IndustryExpert ? IndustryExperts : ExcellentCommunityVolunteers;
}

public sealed record NominationRequest(MeritTitle? Title, Guid? WorkerId, string? Reason);

public sealed record ScoreRequest(int? Score);

public sealed record MeritMonthView(string Month, MeritMonthStatus Status, DateTimeOffset? ClosedAt, IReadOnlyDictionary<string, int> WinnersPerTitle,
    IReadOnlyDictionary<string, long> Nominations, IReadOnlyList<MeritWinner> Winners);

/// <summary>A nomination as reviewers see it: the worker masked, the live tally, the reviewer's own score.</summary>
public sealed record NominationView(
    Guid Id, string Month, MeritTitle Title, Guid WorkerId, string WorkerName, string Reason, DateTimeOffset NominatedAt,
    int ScoreCount, decimal? AverageScore, int? MyScore, int? Place, bool Won, WinningMargin? Margin);

public sealed record ScoreView(Guid NominationId, int Score, DateTimeOffset ScoredAt, DateTimeOffset UpdatedAt);

/// <summary>A winner as every signed-in user sees the honour roll: name masked, no ids.</summary>
public sealed record MeritWinner(string Month, MeritTitle Title, string Name, Occupation Occupation, decimal AverageScore, int ScoreCount, WinningMargin Margin);

public sealed record MyMeritTitle(string Month, MeritTitle Title, decimal AverageScore, DateTimeOffset AwardedAt);

public static class MeritReviewApi
{
    public static IEndpointRouteBuilder MapMeritReviewApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/merit-reviews/{month}").WithTags("Merit review");
        string[] reviewers = [PlatformRoles.OrgOfficer, PlatformRoles.Supervisor, PlatformRoles.Operator];
        group.MapPost("/nominations", Nominate)
            .RequireRoles(PlatformRoles.CommunityStaff, PlatformRoles.OrgOfficer, PlatformRoles.Supervisor, PlatformRoles.Operator)
            .AcceptsIdempotencyKey()
            .WithName("NominateForMerit")
            .WithSummary("Nominate a worker for a title in a month (yyyy-MM)")
            .WithDescription("title: industry-expert or excellent-community-volunteer (the worker must be reported in to a community). One nomination per worker, title and month. Community staff nominate workers of their communities. 409 once the month is closed.");
        group.MapGet("/", GetMonth)
            .RequireRoles(reviewers)
            .WithName("GetMeritMonth")
            .WithSummary("A review month: status, nominations per title, winners once closed");
        group.MapGet("/nominations", Nominations)
            .RequireRoles(reviewers)
            .WithName("ListMeritNominations")
            .WithSummary("A month's nominations with their scores (workers masked)")
            .WithDescription("Ordered as they stand: highest average first, then more scores, then the earlier nomination. Filter by title.");
        group.MapPut("/nominations/{id:guid}/score", Score)
            .RequireRoles(PlatformRoles.OrgOfficer, PlatformRoles.Supervisor)
            .WithName("ScoreMeritNomination")
            .WithSummary("Give or change my score (0-100) for a nomination")
            .WithDescription("One score per reviewer per nomination; changeable until the month closes (then 409).");
        group.MapPost("/close", Close)
            .RequireRoles(reviewers)
            .AcceptsIdempotencyKey()
            .WithName("CloseMeritMonth")
            .WithSummary("Close the month and pick the winners")
            .WithDescription("Per title the highest average score wins (as many winners as configured, one by default); ties go to more scores, then the earlier nomination, and each winner says which decided it. Nothing about the month changes afterwards (409).");

        app.MapGet("/merit-winners", Winners)
            .RequireAuthorization()
            .WithTags("Merit review")
            .WithName("ListMeritWinners")
            .WithSummary("The honour roll: winners of closed months (names masked)")
            .WithDescription("Filter by month (yyyy-MM) and title; newest month first.");
        app.MapGet("/workers/me/merit-titles", MyTitles)
            .RequireRoles(PlatformRoles.Worker)
            .WithTags("Merit review")
            .WithName("ListMyMeritTitles")
            .WithSummary("The titles I have won");
        return app;
    }

    internal static async Task<Results<Created<NominationView>, ValidationProblem, ProblemHttpResult>> Nominate(
        string month, NominationRequest request, ClaimsPrincipal user, VolunteersDb db, PersonalDataProtector protector, TimeProvider clock, CancellationToken ct)
    {
        if (!ReviewMonth.TryParse(month, out var reviewMonth))
        {
            return BadMonth();
        }
        var worker = request.WorkerId is { } workerId ? await db.Workers.AsNoTracking().FirstOrDefaultAsync(w => w.Id == workerId, ct) : null;
        var serving = worker is null ? null
            : await db.ReportIns.Where(r => r.WorkerId == worker.Id && r.Status == ReportInStatus.Active).Select(r => (Guid?)r.CommunityId).FirstOrDefaultAsync(ct);
        var nominated = MeritNomination.Nominate(reviewMonth, request.Title, request.WorkerId, worker is not null, serving is not null,
            request.Reason, user.SubjectId(), clock.GetUtcNow());
        if (!nominated.IsValid)
        {
            return TypedResults.ValidationProblem(nominated.Errors);
        }
        if (Access.IsCommunityStaffOnly(user) && (serving is null || !user.CommunityIds().Contains(serving.Value)))
        {
            return Problems.Forbidden("Community staff nominate workers reported in to their own communities.");
        }
        var nomination = nominated.Value!;
        await using var tx = await db.Database.BeginOrJoinTransactionAsync(ct);
        var open = (await LockMonthAsync(db, reviewMonth, exclusive: false, ct)).EnsureOpen();
        if (open.Refusal is { } refused)
        {
            return refused.ToProblem();
        }
        db.MeritNominations.Add(nomination);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            return Refusal.Conflict("This worker is already nominated for this title this month.", "A worker wins a title at most once a month.").ToProblem();
        }
        await tx.CommitAsync(ct);
        return TypedResults.Created($"/merit-reviews/{nomination.Month}/nominations",
            new NominationView(nomination.Id, nomination.Month, nomination.Title, worker!.Id, worker.Masked(protector).Name, nomination.Reason,
                nomination.NominatedAt, 0, null, null, null, false, null));
    }

    internal static async Task<Results<Ok<MeritMonthView>, ValidationProblem>> GetMonth(
        string month, VolunteersDb db, PersonalDataProtector protector, IOptions<MeritReviewOptions> options, CancellationToken ct)
    {
        if (!ReviewMonth.TryParse(month, out var reviewMonth))
        {
            return BadMonth();
        }
        var id = reviewMonth.ToString();
        var found = await db.MeritMonths.AsNoTracking().FirstOrDefaultAsync(m => m.Id == id, ct);
        var counts = await db.MeritNominations.Where(n => n.Month == id).GroupBy(n => n.Title)
            .Select(g => new { g.Key, Count = g.LongCount() }).ToListAsync(ct);
        var winners = await WinnersQuery(db, id, null).ToListAsync(ct);
        return TypedResults.Ok(new MeritMonthView(id, found?.Status ?? MeritMonthStatus.Open, found?.ClosedAt,
            Enum.GetValues<MeritTitle>().ToDictionary(t => KebabEnum.Name(t), t => options.Value.WinnersOf(t)),
            counts.ToDictionary(c => KebabEnum.Name(c.Key), c => c.Count),
            winners.Select(w => WinnerOf(w.Nomination, w.Worker, protector)).ToList()));
    }

    internal static async Task<Results<Ok<Page<NominationView>>, ValidationProblem>> Nominations(
        string month, ClaimsPrincipal user, VolunteersDb db, PersonalDataProtector protector, [AsParameters] PageQuery paging, string? title, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (!ReviewMonth.TryParse(month, out var reviewMonth))
        {
            errors["month"] = ["month must be yyyy-MM."];
        }
        var titleFilter = KebabEnum.Filter<MeritTitle>(title, "title", errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var id = reviewMonth.ToString();
        var reviewer = user.SubjectId();
        var query = db.MeritNominations.AsNoTracking().Where(n => n.Month == id);
        if (titleFilter is { } t)
        {
            query = query.Where(n => n.Title == t);
        }
        var page = await query
            .Select(n => new
            {
                Nomination = n,
                Count = db.MeritScores.Count(s => s.NominationId == n.Id),
                Sum = db.MeritScores.Where(s => s.NominationId == n.Id).Sum(s => (int?)s.Score),
                Mine = db.MeritScores.Where(s => s.NominationId == n.Id && s.ReviewerId == reviewer).Select(s => (int?)s.Score).FirstOrDefault(),
            })
            .Join(db.Workers, x => x.Nomination.WorkerId, w => w.Id, (x, w) => new { x.Nomination, x.Count, x.Sum, x.Mine, Worker = w })
            // As the ranking at closing would order them (averages compared as exact decimals here).
            .OrderBy(x => x.Nomination.Title)
            .ThenByDescending(x => x.Count == 0 ? -1m : (decimal)x.Sum! / x.Count)
            .ThenByDescending(x => x.Count)
            .ThenBy(x => x.Nomination.NominatedAt).ThenBy(x => x.Nomination.Id)
            .ToPageAsync(paging, ct);
        return TypedResults.Ok(page.Map(x => new NominationView(
            x.Nomination.Id, x.Nomination.Month, x.Nomination.Title, x.Worker.Id, x.Worker.Masked(protector).Name, x.Nomination.Reason, x.Nomination.NominatedAt,
            x.Count, x.Count == 0 ? null : Math.Round((decimal)x.Sum!.Value / x.Count, 2), x.Mine, x.Nomination.Place, x.Nomination.Won, x.Nomination.Margin)));
    }

    internal static async Task<Results<Ok<ScoreView>, NotFound, ValidationProblem, ProblemHttpResult>> Score(
        string month, Guid id, ScoreRequest request, ClaimsPrincipal user, VolunteersDb db, TimeProvider clock, CancellationToken ct)
    {
        if (!ReviewMonth.TryParse(month, out var reviewMonth))
        {
            return BadMonth();
        }
        if (user.SubjectId() is not { } reviewerId)
        {
            return Problems.Forbidden("This token does not identify a reviewer.");
        }
        var errors = MeritScore.Validate(request.Score);
        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }
        var monthId = reviewMonth.ToString();
        if (!await db.MeritNominations.AnyAsync(n => n.Id == id && n.Month == monthId, ct))
        {
            return TypedResults.NotFound();
        }
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var open = (await LockMonthAsync(db, reviewMonth, exclusive: false, ct)).EnsureOpen();
        if (open.Refusal is { } refused)
        {
            return refused.ToProblem();
        }
        var now = clock.GetUtcNow();
        var score = await db.MeritScores.FirstOrDefaultAsync(s => s.NominationId == id && s.ReviewerId == reviewerId, ct);
        if (score is null)
        {
            score = MeritScore.Give(id, reviewerId, request.Score!.Value, now);
            db.MeritScores.Add(score);
        }
        else
        {
            score.Change(request.Score!.Value, now);
        }
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            return Refusal.Conflict("Your score for this nomination was given at the same moment from elsewhere; send it again to change it.").ToProblem();
        }
        await tx.CommitAsync(ct);
        return TypedResults.Ok(new ScoreView(id, score.Score, score.ScoredAt, score.UpdatedAt));
    }

    internal static async Task<Results<Ok<MeritMonthView>, ValidationProblem, ProblemHttpResult>> Close(
        string month, ClaimsPrincipal user, VolunteersDb db, PersonalDataProtector protector, IOptions<MeritReviewOptions> options, TimeProvider clock, CancellationToken ct)
    {
        if (!ReviewMonth.TryParse(month, out var reviewMonth))
        {
            return BadMonth();
        }
        var now = clock.GetUtcNow();
        if (reviewMonth.FirstDay > CityClock.DateOf(now))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["month"] = ["A month that has not begun cannot be closed."] });
        }
        var id = reviewMonth.ToString();
        await using var tx = await db.Database.BeginOrJoinTransactionAsync(ct);
        // Exclusive: waits for nominations and scores being written, and they wait for the close (then see it closed).
        var meritMonth = await LockMonthAsync(db, reviewMonth, exclusive: true, ct);
        var nominations = await db.MeritNominations.Where(n => n.Month == id).ToListAsync(ct);
        var nominationIds = nominations.Select(n => n.Id).ToList();
        var scores = await db.MeritScores.AsNoTracking().Where(s => nominationIds.Contains(s.NominationId)).ToListAsync(ct);
        var closed = meritMonth.Close(nominations, scores, options.Value.WinnersOf, user.SubjectId(), now);
        if (closed.Refusal is { } refused)
        {
            return refused.ToProblem();
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        var workerIds = nominations.Where(n => n.Won).Select(n => n.WorkerId).ToList();
        var workers = await db.Workers.AsNoTracking().Where(w => workerIds.Contains(w.Id)).ToDictionaryAsync(w => w.Id, ct);
        return TypedResults.Ok(new MeritMonthView(id, meritMonth.Status, meritMonth.ClosedAt,
            Enum.GetValues<MeritTitle>().ToDictionary(t => KebabEnum.Name(t), t => options.Value.WinnersOf(t)),
            nominations.GroupBy(n => n.Title).ToDictionary(g => KebabEnum.Name(g.Key), g => g.LongCount()),
            // In the honour roll's order (titles as stored, i.e. by name).
            nominations.Where(n => n.Won).OrderBy(n => n.Title.ToString(), StringComparer.Ordinal).ThenBy(n => n.Place)
                .Select(n => WinnerOf(n, workers[n.WorkerId], protector)).ToList()));
    }

    internal static async Task<Results<Ok<Page<MeritWinner>>, ValidationProblem>> Winners(
        VolunteersDb db, PersonalDataProtector protector, [AsParameters] PageQuery paging, string? month, string? title, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        string? monthId = null;
        if (!string.IsNullOrWhiteSpace(month))
        {
            if (ReviewMonth.TryParse(month, out var parsed))
            {
                monthId = parsed.ToString();
            }
            else
            {
                errors["month"] = ["month must be yyyy-MM."];
            }
        }
        var titleFilter = KebabEnum.Filter<MeritTitle>(title, "title", errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var query = WinnersQuery(db, monthId, titleFilter);
        return TypedResults.Ok((await query.ToPageAsync(paging, ct)).Map(x => WinnerOf(x.Nomination, x.Worker, protector)));
    }

    internal static async Task<Results<Ok<Page<MyMeritTitle>>, ValidationProblem, ProblemHttpResult>> MyTitles(
        ClaimsPrincipal user, VolunteersDb db, [AsParameters] PageQuery paging, CancellationToken ct)
    {
        if (user.WorkerId() is not { } workerId)
        {
            return WorkersApi.NoWorkerId();
        }
        var query = db.MeritNominations.AsNoTracking().Where(n => n.WorkerId == workerId && n.Won)
            .Join(db.MeritMonths, n => n.Month, m => m.Id, (n, m) => new { Nomination = n, m.ClosedAt });
        var page = await query.OrderByDescending(x => x.Nomination.Month).ThenBy(x => x.Nomination.Title).ToPageAsync(paging, ct);
        return TypedResults.Ok(page.Map(x => new MyMeritTitle(x.Nomination.Month, x.Nomination.Title, x.Nomination.AverageScore ?? 0, x.ClosedAt ?? default)));
    }

    private sealed record WinnerRow(MeritNomination Nomination, Worker Worker);

    private static IQueryable<WinnerRow> WinnersQuery(VolunteersDb db, string? month, MeritTitle? title)
    {
        var query = db.MeritNominations.AsNoTracking().Where(n => n.Won);
        if (month is not null)
        {
            query = query.Where(n => n.Month == month);
        }
        if (title is { } t)
        {
            query = query.Where(n => n.Title == t);
        }
        return query.OrderByDescending(n => n.Month).ThenBy(n => n.Title).ThenBy(n => n.Place)
            .Join(db.Workers, n => n.WorkerId, w => w.Id, (n, w) => new WinnerRow(n, w));
    }

    private static MeritWinner WinnerOf(MeritNomination n, Worker w, PersonalDataProtector protector) =>
        new(n.Month, n.Title, w.Masked(protector).Name, w.Occupation, n.AverageScore ?? 0, n.ScoreCount ?? 0, n.Margin ?? WinningMargin.Unopposed);

    /// <summary>
    /// Creates the month's row if needed and locks it for this transaction: shared for a nomination or score (many at
    /// once), exclusive for closing, so nothing is written into a month after it closed.
    /// </summary>
    private static async Task<MeritMonth> LockMonthAsync(VolunteersDb db, ReviewMonth month, bool exclusive, CancellationToken ct)
    {
        var id = month.ToString();
        await db.Database.ExecuteSqlAsync($"INSERT INTO merit_months (\"Id\", \"Status\") VALUES ({id}, 'Open') ON CONFLICT (\"Id\") DO NOTHING", ct);
        var rows = exclusive
            ? await db.MeritMonths.FromSql($"SELECT * FROM merit_months WHERE \"Id\" = {id} FOR UPDATE").ToListAsync(ct)
            : await db.MeritMonths.FromSql($"SELECT * FROM merit_months WHERE \"Id\" = {id} FOR SHARE").ToListAsync(ct);
        return rows.Single();
    }

    private static ValidationProblem BadMonth() =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["month"] = ["month must be yyyy-MM."] });
}

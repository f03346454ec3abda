using System.Linq.Expressions;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Platform.Rights.Application;
using Platform.Rights.Data;
using Platform.Rights.Domain;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.Security;

namespace Platform.Rights.Apis;

public sealed record SubmitCaseRequest(
    CaseCategory? Category, CaseChannel? Channel, Urgency? Urgency, string? Description,
    Guid? WorkerId, string? CallbackNumber, string? District, Guid? CommunityId);

public sealed record AnonymousCaseRequest(
    CaseCategory? Category, Urgency? Urgency, string? Description, string? CallbackNumber, string? District, Guid? CommunityId);

/// <summary>A case in a list: never any content, never the requester.</summary>
public sealed record CaseReceipt(Guid Id, CaseStatus Status, Urgency Urgency, DateTimeOffset SubmittedAt, DateTimeOffset FirstResponseDueAt)
{
    public static CaseReceipt From(RightsCase c) => new(c.Id, c.Status, c.Urgency, c.SubmittedAt, c.FirstResponseDueAt);
}

public sealed record CaseSummary(
    Guid Id, CaseCategory Category, CaseChannel Channel, Urgency Urgency, CaseStatus Status, string? District,
    DateTimeOffset SubmittedAt, DateTimeOffset FirstResponseDueAt, bool Overdue, Guid? AssignedProfessionalId,
    DateTimeOffset? FirstRespondedAt, DateTimeOffset? ResolvedAt, RecordSource Source)
{
    public static CaseSummary From(RightsCase c, DateTimeOffset now) => new(
        c.Id, c.Category, c.Channel, c.Urgency, c.Status, c.District, c.SubmittedAt, c.FirstResponseDueAt,
        c.IsOverdue(now), c.AssignedProfessionalId, c.FirstRespondedAt, c.ResolvedAt, c.Source);
}

public sealed record NoteView(Guid Id, NoteAuthor Author, DateTimeOffset WrittenAt, string Text);

/// <summary>The confidential part of a case file.</summary>
public sealed record CaseContent(
    Guid? RequesterWorkerId, string? CallbackNumber, string Description, string? Resolution, string? EscalationReason,
    IReadOnlyList<NoteView> Notes)
{
    public static CaseContent From(RightsCase c) => new(
        c.RequesterWorkerId, c.CallbackNumber, c.Description, c.Resolution, c.EscalationReason,
        [.. c.Notes.OrderBy(n => n.WrittenAt).ThenBy(n => n.Id).Select(n => new NoteView(n.Id, n.Author, n.WrittenAt, n.Text))]);
}

/// <summary>A case file. <see cref="Content"/> is null for a supervisor who has not stated a reason.</summary>
public sealed record CaseDetail(
    Guid Id, CaseCategory Category, CaseChannel Channel, Urgency Urgency, CaseStatus Status, string? District,
    bool Anonymous, DateTimeOffset SubmittedAt, DateTimeOffset FirstResponseDueAt, bool Overdue,
    DateTimeOffset? TriagedAt, Guid? AssignedProfessionalId, DateTimeOffset? AssignedAt, DateTimeOffset? FirstRespondedAt,
    DateTimeOffset? ResolvedAt, DateTimeOffset? ClosedAt, int? Satisfaction, EscalationPartner? EscalatedTo,
    DateTimeOffset? EscalatedAt, CaseContent? Content, RecordSource Source)
{
    public static CaseDetail From(RightsCase c, DateTimeOffset now, bool withContent) => new(
        c.Id, c.Category, c.Channel, c.Urgency, c.Status, c.District, c.RequesterWorkerId is null, c.SubmittedAt,
        c.FirstResponseDueAt, c.IsOverdue(now), c.TriagedAt, c.AssignedProfessionalId, c.AssignedAt, c.FirstRespondedAt,
        c.ResolvedAt, c.ClosedAt, c.Satisfaction, c.EscalatedTo, c.EscalatedAt, withContent ? CaseContent.From(c) : null, c.Source);
}

public sealed record ContentReadRequest(string? Reason);

public sealed record ContentReadEntry(Guid Id, Guid CaseId, Guid SupervisorId, string Reason, DateTimeOffset ReadAt);

public static class CasesApi
{
    public const string AnonymousPolicy = "anonymous-cases";

    public static RouteGroupBuilder MapCasesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/cases").WithTags("Cases");
        group.MapPost("/", Submit)
            .RequireRoles(PlatformRoles.Worker, PlatformRoles.Professional, PlatformRoles.Supervisor, PlatformRoles.StationKeeper)
            .AcceptsIdempotencyKey()
            .WithName("SubmitCase")
            .WithSummary("Ask for legal or counselling help, or record a request for someone")
            .WithDescription("A worker asks for themselves (the requester is the signed-in worker; channel app or chat-group). Hotline, station and rights staff record a request for a worker (workerId) or an anonymous caller (callbackNumber), naming the channel. The answer carries no content. A crisis case alerts supervisors at once. Publishes RightsCaseOpened.");
        group.MapPost("/anonymous", SubmitAnonymous)
            .AllowAnonymous()
            .RequireRateLimiting(AnonymousPolicy)
            .AcceptsIdempotencyKey()
            .WithName("SubmitAnonymousCase")
            .WithSummary("Ask for help without signing in, with a number to be called back on")
            .WithDescription("For people who will not sign in: a professional calls back. Limited per callback number (a few open requests at a time) and in rate; the request cannot be read back without signing in.");
        group.MapGet("/mine", Mine)
            .RequireRoles(PlatformRoles.Worker)
            .WithName("ListMyCases")
            .WithSummary("The signed-in worker's own cases (no content)");
        group.MapGet("/assigned", Assigned)
            .RequireRoles(PlatformRoles.Professional)
            .WithName("ListAssignedCases")
            .WithSummary("Cases assigned to the signed-in professional (no content)");
        group.MapGet("/", List)
            .RequireRoles(PlatformRoles.Supervisor)
            .WithName("ListCases")
            .WithSummary("All cases, for supervisors (no content)")
            .WithDescription("Filter by status, category, channel, urgency, district; overdue=true lists the cases past their first-response deadline, most overdue first.");
        group.MapGet("/{id:guid}", Get)
            .RequireAuthorization()
            .WithName("GetCase")
            .WithSummary("A case file")
            .WithDescription("The requester and the assigned professional see the whole file. A supervisor sees its progress without the content (state a reason with POST /cases/{id}/content-reads to read it). Anyone else: 404, as if the case did not exist.");
        group.MapPost("/{id:guid}/content-reads", ReadContent)
            .RequireAuthorization()
            .WithName("ReadCaseContent")
            .WithSummary("A supervisor reads a case's content, stating why (audited)")
            .WithDescription("Writes the read and its reason to the audit log in the same transaction, then answers with the whole file. Anyone but a supervisor: 404.");
        app.MapGet("/audit/content-reads", Audit)
            .WithTags("Cases")
            .RequireRoles(PlatformRoles.Supervisor)
            .WithName("ListContentReads")
            .WithSummary("Audit log of supervisors' reads of case content")
            .WithDescription("Newest first; filter by caseId or supervisorId.");
        return group;
    }

    internal static async Task<Results<Created<CaseReceipt>, ValidationProblem>> Submit(
        SubmitCaseRequest request, ClaimsPrincipal user, RightsDb db, CaseOpening opening, TimeProvider clock, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        Guid? requester;
        CaseChannel? channel;
        Guid? submittedBy = null;
        if (user.WorkerId() is { } self)
        {
            // A worker asks for themselves only: the requester is the signed-in worker, never one named in the body.
            requester = self;
            if (request.WorkerId is not null && request.WorkerId != self)
            {
                errors["workerId"] = ["A worker submits for themselves: leave workerId out."];
            }
            channel = request.Channel ?? CaseChannel.App;
            if (channel is not (CaseChannel.App or CaseChannel.ChatGroup))
            {
                errors["channel"] = ["A worker's own request comes through the app or the chat group."];
            }
        }
        else
        {
            requester = request.WorkerId;
            channel = request.Channel;
            submittedBy = user.SubjectId();
        }
        var (district, districtErrors) = await opening.DistrictOfAsync(request.CommunityId, request.District, ct);
        foreach (var (field, messages) in districtErrors ?? [])
        {
            errors[field] = messages;
        }
        var submitted = RightsCase.Submit(
            new CaseSubmission(request.Category, channel, request.Urgency, request.Description, requester, request.CallbackNumber, district, submittedBy),
            clock.GetUtcNow(), db.Protector.BlindIndex);
        foreach (var (field, messages) in submitted.Errors)
        {
            errors.TryAdd(field, messages);
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var rightsCase = submitted.Value!;
        opening.Open(rightsCase);
        await db.SaveChangesAsync(ct);
        opening.Opened(rightsCase);
        return TypedResults.Created($"/cases/{rightsCase.Id}", CaseReceipt.From(rightsCase));
    }

    /// <summary>How many requests one callback number may have open through the anonymous door.</summary>
    public const int MaxOpenAnonymousPerNumber = 3;

    internal static async Task<Results<Created<CaseReceipt>, ValidationProblem, ProblemHttpResult>> SubmitAnonymous(
        AnonymousCaseRequest request, RightsDb db, CaseOpening opening, TimeProvider clock, CancellationToken ct)
    {
        var (district, districtErrors) = await opening.DistrictOfAsync(request.CommunityId, request.District, ct);
        var submitted = RightsCase.Submit(
            new CaseSubmission(request.Category, CaseChannel.App, request.Urgency, request.Description, null, request.CallbackNumber, district, null),
            clock.GetUtcNow(), db.Protector.BlindIndex);
        if (!submitted.IsValid || districtErrors is not null)
        {
            var errors = new Dictionary<string, string[]>(submitted.Errors);
            foreach (var (field, messages) in districtErrors ?? [])
            {
                errors.TryAdd(field, messages);
            }
            return TypedResults.ValidationProblem(errors);
        }
        var rightsCase = submitted.Value!;
        // One number cannot flood the team: found by its blind index, never by decrypting.
        var open = await db.Cases.CountAsync(c => c.CallbackNumberIndex == rightsCase.CallbackNumberIndex
            && c.RequesterWorkerId == null
            && c.Status != CaseStatus.Closed && c.Status != CaseStatus.Escalated && c.Status != CaseStatus.Resolved, ct);
        if (open >= MaxOpenAnonymousPerNumber)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many open requests from this number.",
                detail: $"This number already has {MaxOpenAnonymousPerNumber} open requests; a professional will call back. In danger, call 110 or 120.");
        }
        opening.Open(rightsCase);
        await db.SaveChangesAsync(ct);
        opening.Opened(rightsCase);
        return TypedResults.Created($"/cases/{rightsCase.Id}", CaseReceipt.From(rightsCase));
    }

    internal static Task<Results<Ok<Page<CaseSummary>>, ValidationProblem>> Mine(
        ClaimsPrincipal user, RightsDb db, TimeProvider clock, [AsParameters] PageQuery paging, CancellationToken ct)
    {
        var worker = user.WorkerId();
        return PageAsync(db.Cases.Where(c => c.RequesterWorkerId == worker), paging, clock, ct);
    }

    internal static Task<Results<Ok<Page<CaseSummary>>, ValidationProblem>> Assigned(
        ClaimsPrincipal user, RightsDb db, TimeProvider clock, [AsParameters] PageQuery paging, CancellationToken ct)
    {
        var professional = user.SubjectId();
        return PageAsync(db.Cases.Where(c => professional != null && c.AssignedProfessionalId == professional), paging, clock, ct);
    }

    internal static async Task<Results<Ok<Page<CaseSummary>>, ValidationProblem>> List(
        RightsDb db, TimeProvider clock, [AsParameters] PageQuery paging,
        string? status, string? category, string? channel, string? urgency, string? district, bool? overdue, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var statusFilter = KebabEnum.Filter<CaseStatus>(status, "status", errors);
        var categoryFilter = KebabEnum.Filter<CaseCategory>(category, "category", errors);
        var channelFilter = KebabEnum.Filter<CaseChannel>(channel, "channel", errors);
        var urgencyFilter = KebabEnum.Filter<Urgency>(urgency, "urgency", errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var query = db.Cases.AsQueryable();
        if (statusFilter is not null) { query = query.Where(c => c.Status == statusFilter); }
        if (categoryFilter is not null) { query = query.Where(c => c.Category == categoryFilter); }
        if (channelFilter is not null) { query = query.Where(c => c.Channel == channelFilter); }
        if (urgencyFilter is not null) { query = query.Where(c => c.Urgency == urgencyFilter); }
        if (!string.IsNullOrWhiteSpace(district)) { query = query.Where(c => c.District == district); }
        if (overdue is not null)
        {
            var now = clock.GetUtcNow();
            Expression<Func<RightsCase, bool>> isOverdue = c => c.FirstRespondedAt == null
                && (c.Status == CaseStatus.Submitted || c.Status == CaseStatus.Triaged || c.Status == CaseStatus.Assigned)
                && c.FirstResponseDueAt < now;
            query = overdue.Value ? query.Where(isOverdue) : query.Where(Not(isOverdue));
            if (overdue.Value)
            {
                return await PageAsync(query, paging, clock, ct, mostOverdueFirst: true);
            }
        }
        return await PageAsync(query, paging, clock, ct);
    }

    internal static async Task<Results<Ok<CaseDetail>, NotFound>> Get(Guid id, ClaimsPrincipal user, HttpContext http, RightsDb db, TimeProvider clock, CancellationToken ct)
    {
        NoStore(http);
        var rightsCase = await db.Cases.AsNoTracking().Include(c => c.Notes).AsSplitQuery().FirstOrDefaultAsync(c => c.Id == id, ct);
        if (rightsCase is null)
        {
            return TypedResults.NotFound();
        }
        var party = rightsCase.PartyOf(user.WorkerId(), ProfessionalId(user));
        if (party != CaseParty.None)
        {
            return TypedResults.Ok(CaseDetail.From(rightsCase, clock.GetUtcNow(), withContent: true));
        }
        // Supervisors follow every case's progress; its content needs a stated reason.
        return user.IsInRole(PlatformRoles.Supervisor)
            ? TypedResults.Ok(CaseDetail.From(rightsCase, clock.GetUtcNow(), withContent: false))
            : TypedResults.NotFound();
    }

    internal static async Task<Results<Ok<CaseDetail>, ValidationProblem, NotFound>> ReadContent(
        Guid id, ContentReadRequest request, ClaimsPrincipal user, HttpContext http, RightsDb db, TimeProvider clock, CancellationToken ct)
    {
        NoStore(http);
        if (!user.IsInRole(PlatformRoles.Supervisor) || user.SubjectId() is not { } supervisor)
        {
            return TypedResults.NotFound();
        }
        var rightsCase = await db.Cases.AsNoTracking().Include(c => c.Notes).AsSplitQuery().FirstOrDefaultAsync(c => c.Id == id, ct);
        if (rightsCase is null)
        {
            return TypedResults.NotFound();
        }
        var read = ContentRead.Record(rightsCase.Id, supervisor, request.Reason, clock.GetUtcNow());
        if (!read.IsValid)
        {
            return TypedResults.ValidationProblem(read.Errors);
        }
        // The audit entry is committed before any content leaves the service.
        db.ContentReads.Add(read.Value!);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(CaseDetail.From(rightsCase, clock.GetUtcNow(), withContent: true));
    }

    internal static async Task<Results<Ok<Page<ContentReadEntry>>, ValidationProblem>> Audit(
        RightsDb db, [AsParameters] PageQuery paging, Guid? caseId, Guid? supervisorId, CancellationToken ct)
    {
        var query = db.ContentReads.AsNoTracking();
        if (caseId is not null) { query = query.Where(r => r.CaseId == caseId); }
        if (supervisorId is not null) { query = query.Where(r => r.SupervisorId == supervisorId); }
        return TypedResults.Ok(await query.OrderByDescending(r => r.ReadAt).ThenByDescending(r => r.Id)
            .Select(r => new ContentReadEntry(r.Id, r.CaseId, r.SupervisorId, r.Reason, r.ReadAt)).ToPageAsync(paging, ct));
    }

    /// <summary>A case file is never kept by a browser, an app's HTTP cache or a proxy on the way.</summary>
    private static void NoStore(HttpContext http) => http.Response.Headers.CacheControl = "no-store";

    /// <summary>The subject of a professional's token: how an assigned professional is recognised.</summary>
    internal static Guid? ProfessionalId(ClaimsPrincipal user) =>
        user.IsInRole(PlatformRoles.Professional) ? user.SubjectId() : null;

    private static async Task<Results<Ok<Page<CaseSummary>>, ValidationProblem>> PageAsync(
        IQueryable<RightsCase> query, PageQuery paging, TimeProvider clock, CancellationToken ct, bool mostOverdueFirst = false)
    {
        query = query.AsNoTracking();
        var ordered = mostOverdueFirst
            ? query.OrderBy(c => c.FirstResponseDueAt).ThenBy(c => c.Id)
            : query.OrderByDescending(c => c.SubmittedAt).ThenByDescending(c => c.Id);
        // Only the columns a summary shows: the encrypted ones are never read (nor decrypted) for a list.
        var page = await ordered
            .Select(c => new { c.Id, c.Category, c.Channel, c.Urgency, c.Status, c.District, c.SubmittedAt, c.FirstResponseDueAt, c.AssignedProfessionalId, c.FirstRespondedAt, c.ResolvedAt, c.Source })
            .ToPageAsync(paging, ct);
        var now = clock.GetUtcNow();
        return TypedResults.Ok(page.Map(c => new CaseSummary(c.Id, c.Category, c.Channel, c.Urgency, c.Status, c.District, c.SubmittedAt,
            c.FirstResponseDueAt, c.FirstRespondedAt is null && c.Status.AwaitsFirstResponse() && now > c.FirstResponseDueAt,
            c.AssignedProfessionalId, c.FirstRespondedAt, c.ResolvedAt, c.Source)));
    }

    private static Expression<Func<RightsCase, bool>> Not(Expression<Func<RightsCase, bool>> predicate) =>
        Expression.Lambda<Func<RightsCase, bool>>(Expression.Not(predicate.Body), predicate.Parameters);
}

using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Platform.Rights.Data;
using Platform.Rights.Domain;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.Messaging;
using Platform.ServiceDefaults.Security;
using Platform.ServiceDefaults.Validation;

namespace Platform.Rights.Apis;

public sealed record TriageRequest(CaseCategory? Category, Urgency? Urgency);
public sealed record AssignmentRequest(Guid? ProfessionalId);
public sealed record NoteRequest(string? Text);
public sealed record NoteReceipt(Guid Id, Guid CaseId, NoteAuthor Author, DateTimeOffset WrittenAt);
public sealed record ResolutionRequest(string? Summary);
public sealed record ClosureRequest(int? Satisfaction);
public sealed record EscalationRequest(EscalationPartner? Partner, string? Reason);

/// <summary>
/// The case workflow: submitted, triaged, assigned, in progress, resolved, closed (or escalated). Answers carry no
/// content, and a user who is not a party to the case gets 404 whatever the step.
/// </summary>
public static class CaseWorkflowApi
{
    public static RouteGroupBuilder MapCaseWorkflowApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/cases/{id:guid}").WithTags("Case workflow");
        group.MapPost("/triage", Triage)
            .RequireRoles(PlatformRoles.Supervisor)
            .WithName("TriageCase")
            .WithSummary("Confirm category and urgency of a submitted case")
            .WithDescription("The first-response deadline follows the urgency: crisis 1 h, high 4 h, normal 24 h from submission.");
        group.MapPost("/assignment", Assign)
            .RequireRoles(PlatformRoles.Supervisor)
            .WithName("AssignCase")
            .WithSummary("Give the case to a registered professional whose specialty fits")
            .WithDescription("Psychological support needs a counsellor, the legal categories a legal worker; other fits either. Crisis cases may be assigned without triage. Reassigning is allowed until resolved.");
        group.MapPost("/start", Start)
            .RequireAuthorization()
            .WithName("StartCase")
            .WithSummary("The assigned professional takes the case up (first response)");
        group.MapPost("/notes", AddNote)
            .RequireAuthorization()
            .AcceptsIdempotencyKey()
            .WithName("AddCaseNote")
            .WithSummary("The requester or the assigned professional writes to the case file")
            .WithDescription("Stored encrypted. A professional's first note is the first response. The answer does not repeat the text.");
        group.MapPost("/resolution", Resolve)
            .RequireAuthorization()
            .WithName("ResolveCase")
            .WithSummary("The assigned professional records the resolution")
            .WithDescription("Publishes RightsCaseResolved (durations only).");
        group.MapPost("/closure", Close)
            .RequireAuthorization()
            .WithName("CloseCase")
            .WithSummary("Close a resolved case with a satisfaction score 1-5")
            .WithDescription("The requester closes it; for an anonymous requester the assigned professional records the score given on the phone.");
        group.MapPost("/escalation", Escalate)
            .RequireAuthorization()
            .WithName("EscalateCase")
            .WithSummary("Hand the case to labour inspection or trade-union legal aid, with the reason")
            .WithDescription("By a supervisor or the assigned professional. Publishes RightsCaseResolved with escalated=true.");
        return group;
    }

    internal static async Task<Results<Ok<CaseSummary>, ValidationProblem, ProblemHttpResult, NotFound>> Triage(
        Guid id, TriageRequest request, RightsDb db, TimeProvider clock, CancellationToken ct)
    {
        var rightsCase = await db.Cases.FirstOrDefaultAsync(c => c.Id == id, ct);
        if (rightsCase is null)
        {
            return TypedResults.NotFound();
        }
        return await SaveAsync(db, rightsCase, rightsCase.Triage(request.Category, request.Urgency, clock.GetUtcNow()), clock, ct);
    }

    internal static async Task<Results<Ok<CaseSummary>, ValidationProblem, ProblemHttpResult, NotFound>> Assign(
        Guid id, AssignmentRequest request, RightsDb db, TimeProvider clock, CancellationToken ct)
    {
        if (request.ProfessionalId is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["professionalId"] = ["professionalId is required."] });
        }
        var rightsCase = await db.Cases.FirstOrDefaultAsync(c => c.Id == id, ct);
        if (rightsCase is null)
        {
            return TypedResults.NotFound();
        }
        var professional = await db.Professionals.AsNoTracking().FirstOrDefaultAsync(p => p.Id == request.ProfessionalId, ct);
        if (professional is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["professionalId"] = ["professionalId is not in the professionals register."] });
        }
        return await SaveAsync(db, rightsCase, rightsCase.AssignTo(professional, clock.GetUtcNow()), clock, ct);
    }

    internal static async Task<Results<Ok<CaseSummary>, ValidationProblem, ProblemHttpResult, NotFound>> Start(
        Guid id, ClaimsPrincipal user, RightsDb db, TimeProvider clock, CancellationToken ct)
    {
        var rightsCase = await PartyCaseAsync(db, id, user, notes: false, ct);
        if (rightsCase is null || rightsCase.PartyOf(null, CasesApi.ProfessionalId(user)) != CaseParty.AssignedProfessional)
        {
            return TypedResults.NotFound();
        }
        return await SaveAsync(db, rightsCase, rightsCase.Start(clock.GetUtcNow()), clock, ct);
    }

    internal static async Task<Results<Created<NoteReceipt>, ValidationProblem, ProblemHttpResult, NotFound>> AddNote(
        Guid id, NoteRequest request, ClaimsPrincipal user, RightsDb db, TimeProvider clock, CancellationToken ct)
    {
        var rightsCase = await PartyCaseAsync(db, id, user, notes: true, ct);
        if (rightsCase is null)
        {
            return TypedResults.NotFound();
        }
        var party = rightsCase.PartyOf(user.WorkerId(), CasesApi.ProfessionalId(user));
        if (rightsCase.AddNote(party, user.SubjectId()!.Value, request.Text, clock.GetUtcNow(), out var note) is { } refused)
        {
            return refused.ToProblem();
        }
        if (!await db.TrySaveAsync(ct))
        {
            return Refusal.Conflict(OptimisticSave.ChangedMeanwhile).ToProblem();
        }
        return TypedResults.Created($"/cases/{id}", new NoteReceipt(note!.Id, id, note.Author, note.WrittenAt));
    }

    internal static async Task<Results<Ok<CaseSummary>, ValidationProblem, ProblemHttpResult, NotFound>> Resolve(
        Guid id, ResolutionRequest request, ClaimsPrincipal user, RightsDb db, TimeProvider clock, CancellationToken ct)
    {
        var rightsCase = await PartyCaseAsync(db, id, user, notes: false, ct);
        if (rightsCase is null || rightsCase.PartyOf(null, CasesApi.ProfessionalId(user)) != CaseParty.AssignedProfessional)
        {
            return TypedResults.NotFound();
        }
        var refused = rightsCase.Resolve(request.Summary, clock.GetUtcNow());
        if (refused is null)
        {
            db.Publish(rightsCase.ToResolvedEvent(), clock);
        }
        return await SaveAsync(db, rightsCase, refused, clock, ct);
    }

    internal static async Task<Results<Ok<CaseSummary>, ValidationProblem, ProblemHttpResult, NotFound>> Close(
        Guid id, ClosureRequest request, ClaimsPrincipal user, RightsDb db, TimeProvider clock, CancellationToken ct)
    {
        var rightsCase = await PartyCaseAsync(db, id, user, notes: false, ct);
        if (rightsCase is null)
        {
            return TypedResults.NotFound();
        }
        var party = rightsCase.PartyOf(user.WorkerId(), CasesApi.ProfessionalId(user));
        // A known requester closes their own case; only an anonymous one's score is recorded by the professional.
        if (party == CaseParty.AssignedProfessional && rightsCase.RequesterWorkerId is not null)
        {
            return Refusal.Conflict("The requester closes this case and gives the score themselves.").ToProblem();
        }
        return await SaveAsync(db, rightsCase, rightsCase.Close(request.Satisfaction, clock.GetUtcNow()), clock, ct);
    }

    internal static async Task<Results<Ok<CaseSummary>, ValidationProblem, ProblemHttpResult, NotFound>> Escalate(
        Guid id, EscalationRequest request, ClaimsPrincipal user, RightsDb db, TimeProvider clock, CancellationToken ct)
    {
        var rightsCase = await db.Cases.FirstOrDefaultAsync(c => c.Id == id, ct);
        if (rightsCase is null
            || (!user.IsInRole(PlatformRoles.Supervisor)
                && rightsCase.PartyOf(null, CasesApi.ProfessionalId(user)) != CaseParty.AssignedProfessional))
        {
            return TypedResults.NotFound();
        }
        var refused = rightsCase.Escalate(request.Partner, request.Reason, clock.GetUtcNow());
        if (refused is null)
        {
            db.Publish(rightsCase.ToResolvedEvent(), clock);
        }
        return await SaveAsync(db, rightsCase, refused, clock, ct);
    }

    /// <summary>The case when the user is its requester or assigned professional; null (404) otherwise.</summary>
    private static async Task<RightsCase?> PartyCaseAsync(RightsDb db, Guid id, ClaimsPrincipal user, bool notes, CancellationToken ct)
    {
        var query = notes ? db.Cases.Include(c => c.Notes).AsSplitQuery() : db.Cases;
        var rightsCase = await query.FirstOrDefaultAsync(c => c.Id == id, ct);
        return rightsCase?.PartyOf(user.WorkerId(), CasesApi.ProfessionalId(user)) == CaseParty.None ? null : rightsCase;
    }

    private static async Task<Results<Ok<CaseSummary>, ValidationProblem, ProblemHttpResult, NotFound>> SaveAsync(
        RightsDb db, RightsCase rightsCase, Refusal? refused, TimeProvider clock, CancellationToken ct)
    {
        if (refused is not null)
        {
            return refused.ToProblem();
        }
        if (!await db.TrySaveAsync(ct))
        {
            return Refusal.Conflict(OptimisticSave.ChangedMeanwhile).ToProblem();
        }
        return TypedResults.Ok(CaseSummary.From(rightsCase, clock.GetUtcNow()));
    }
}

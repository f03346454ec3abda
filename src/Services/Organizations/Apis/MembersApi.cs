using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Platform.Organizations.Data;
using Platform.Organizations.Domain;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.Messaging;
using Platform.ServiceDefaults.Security;
using Platform.ServiceDefaults.Time;
using Platform.ServiceDefaults.Validation;

namespace Platform.Organizations.Apis;

public sealed record TransferRequest(Guid? OrganizationId, string? Note);

public sealed record JoinedPartyRequest(DateOnly? JoinedPartyOn);

public sealed record MemberResponse(Guid Id, Guid WorkerId, Guid OrganizationId, PlacementReason Reason, bool Fallback, DateTimeOffset PlacedAt, DateOnly? JoinedPartyOn)
{
    public static MemberResponse From(Member m) => new(m.Id, m.WorkerId, m.OrganizationId, m.Reason, m.Fallback, m.PlacedAt, m.JoinedPartyOn);
}

public sealed record PlacementResponse(Guid OrganizationId, PlacementReason Reason, string? Note, DateTimeOffset PlacedAt, DateTimeOffset? EndedAt);

public sealed record MemberDetailResponse(MemberResponse Member, IReadOnlyList<PlacementResponse> History);

public sealed record PoliticalBirthdayResponse(Guid MemberId, Guid WorkerId, Guid OrganizationId, DateOnly JoinedPartyOn, DateOnly Anniversary, int Years);

public static class MembersApi
{
    public static RouteGroupBuilder MapMembersApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/members").WithTags("Members");
        var officers = new[] { PlatformRoles.OrgOfficer, PlatformRoles.Operator };
        group.MapGet("/", List).RequireRoles(officers)
            .WithName("ListMembers")
            .WithSummary("List Party members among the workers")
            .WithDescription("Members are placed from the volunteers service's WorkerRegistered and WorkerReportedToCommunity events. Filter by organizationId and fallback=true for fallback placements (属地兜底).");
        group.MapGet("/{id:guid}", Get).RequireRoles(officers)
            .WithName("GetMember")
            .WithSummary("One member with the history of placements");
        group.MapGet("/me", Mine).RequireRoles(PlatformRoles.Worker)
            .WithName("GetMyMembership")
            .WithSummary("The signed-in worker's own membership and placement history (404 when not placed)");
        group.MapPost("/{id:guid}/transfers", Transfer).RequireRoles(officers)
            .WithName("TransferMember")
            .WithSummary("Transfer a member to another established organization")
            .WithDescription("The earlier placement is kept in the history. A transferred member is not moved again automatically. Publishes MemberPlaced.");
        group.MapPut("/{id:guid}/joined-party-on", RecordJoinedParty).RequireRoles(officers)
            .WithName("RecordJoinedParty")
            .WithSummary("Record the day the member joined the Party (the political birthday)");
        group.MapGet("/political-birthdays", PoliticalBirthdays).RequireRoles(officers)
            .WithName("ListPoliticalBirthdays")
            .WithSummary("Members whose joining anniversary falls in the next N days (Asia/Shanghai dates)")
            .WithDescription("days counts today as the first day (1-366, default 30). Someone who joined on 29 February is listed on 28 February in other years.");
        return group;
    }

    internal static async Task<Results<Ok<Page<MemberResponse>>, ValidationProblem>> List(
        OrganizationsDb db, [AsParameters] PageQuery paging, Guid? organizationId, bool? fallback, CancellationToken ct)
    {
        var query = db.Members.AsNoTracking();
        if (organizationId is not null)
        {
            query = query.Where(m => m.OrganizationId == organizationId);
        }
        if (fallback is not null)
        {
            query = query.Where(m => m.Fallback == fallback);
        }
        return TypedResults.Ok((await query.OrderBy(m => m.PlacedAt).ThenBy(m => m.Id).ToPageAsync(paging, ct)).Map(MemberResponse.From));
    }

    internal static async Task<Results<Ok<MemberDetailResponse>, NotFound>> Get(Guid id, OrganizationsDb db, CancellationToken ct)
    {
        var member = await db.Members.AsNoTracking().Include(m => m.Placements).FirstOrDefaultAsync(m => m.Id == id, ct);
        return member is null ? TypedResults.NotFound() : TypedResults.Ok(Detail(member));
    }

    internal static async Task<Results<Ok<MemberDetailResponse>, NotFound>> Mine(ClaimsPrincipal user, OrganizationsDb db, CancellationToken ct)
    {
        var workerId = user.WorkerId();
        var member = workerId is null ? null : await db.Members.AsNoTracking().Include(m => m.Placements).FirstOrDefaultAsync(m => m.WorkerId == workerId, ct);
        return member is null ? TypedResults.NotFound() : TypedResults.Ok(Detail(member));
    }

    internal static async Task<Results<Ok<MemberResponse>, NotFound, ValidationProblem, ProblemHttpResult>> Transfer(
        Guid id, TransferRequest request, OrganizationsDb db, TimeProvider clock, CancellationToken ct)
    {
        if (request.OrganizationId is not { } organizationId || organizationId == Guid.Empty)
        {
            return Refusal.Invalid("organizationId", "organizationId is required.").ToProblem();
        }
        var member = await db.Members.Include(m => m.Placements.Where(p => p.EndedAt == null)).FirstOrDefaultAsync(m => m.Id == id, ct);
        if (member is null)
        {
            return TypedResults.NotFound();
        }
        var organization = await db.Organizations.AsNoTracking().FirstOrDefaultAsync(o => o.Id == organizationId, ct);
        if (organization is null)
        {
            return Refusal.Invalid("organizationId", $"There is no organization {organizationId}.").ToProblem();
        }
        if (member.TransferTo(organization, request.Note, clock.GetUtcNow()) is { } refusal)
        {
            return refusal.ToProblem();
        }
        db.Publish(member.ToPlacedEvent(), clock);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Refusal.Conflict("The member was moved at the same time.", "Reload and transfer again.").ToProblem();
        }
        return TypedResults.Ok(MemberResponse.From(member));
    }

    internal static async Task<Results<Ok<MemberResponse>, NotFound, ValidationProblem, ProblemHttpResult>> RecordJoinedParty(
        Guid id, JoinedPartyRequest request, OrganizationsDb db, TimeProvider clock, CancellationToken ct)
    {
        var member = await db.Members.FirstOrDefaultAsync(m => m.Id == id, ct);
        if (member is null)
        {
            return TypedResults.NotFound();
        }
        if (member.RecordJoinedParty(request.JoinedPartyOn, CityClock.Today(clock)) is { } refusal)
        {
            return refusal.ToProblem();
        }
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Refusal.Conflict("The member changed at the same time.", "Reload and try again.").ToProblem();
        }
        return TypedResults.Ok(MemberResponse.From(member));
    }

    internal static async Task<Results<Ok<Page<PoliticalBirthdayResponse>>, ValidationProblem>> PoliticalBirthdays(
        OrganizationsDb db, TimeProvider clock, [AsParameters] PageQuery paging, int? days, Guid? organizationId, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var window = days ?? 30;
        if (window is < 1 or > PoliticalBirthday.MaxWindowDays)
        {
            errors["days"] = [$"days must be between 1 and {PoliticalBirthday.MaxWindowDays}."];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var today = CityClock.Today(clock);
        var keys = PoliticalBirthday.KeysInWindow(today, window).ToList();
        var todayKey = PoliticalBirthday.Key(today);
        // Joined today is not an anniversary yet.
        var query = db.Members.AsNoTracking()
            .Where(m => m.JoinedMonthDay != null && keys.Contains(m.JoinedMonthDay.Value) && m.JoinedPartyOn < today);
        if (organizationId is not null)
        {
            query = query.Where(m => m.OrganizationId == organizationId);
        }
        var page = await query
            .OrderBy(m => m.JoinedMonthDay >= todayKey ? m.JoinedMonthDay : m.JoinedMonthDay + 10_000).ThenBy(m => m.Id)
            .ToPageAsync(paging, ct);
        return TypedResults.Ok(page.Map(m =>
        {
            var anniversary = PoliticalBirthday.Next(m.JoinedPartyOn!.Value, today);
            return new PoliticalBirthdayResponse(m.Id, m.WorkerId, m.OrganizationId, m.JoinedPartyOn.Value, anniversary, anniversary.Year - m.JoinedPartyOn.Value.Year);
        }));
    }

    private static MemberDetailResponse Detail(Member member) => new(
        MemberResponse.From(member),
        [.. member.Placements.OrderBy(p => p.PlacedAt).Select(p => new PlacementResponse(p.OrganizationId, p.Reason, p.Note, p.PlacedAt, p.EndedAt))]);
}

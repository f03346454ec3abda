using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Platform.ServiceDefaults.Data;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.Security;
using Platform.ServiceDefaults.Validation;
using Platform.Volunteers.Data;
using Platform.Volunteers.Domain;

namespace Platform.Volunteers.Apis;

public sealed record FormTeamRequest(string? Name, Guid? CommunityId, Guid? LeaderId);

public sealed record TeamMemberRequest(Guid? WorkerId);

public sealed record JoinTeamRequest(Guid? TeamId);

/// <summary>A vanguard team as anyone signed in sees it: the leader masked.</summary>
public sealed record VanguardTeamView(
    Guid Id, string Name, Guid CommunityId, string CommunityName, string District, string LeaderName, DateTimeOffset LeaderSince,
    long Members, DateTimeOffset FormedAt, DateTimeOffset? DissolvedAt);

/// <summary>A member (current or former) as staff and fellow members see them: masked.</summary>
public sealed record TeamMemberView(
    Guid WorkerId, string Name, Occupation Occupation, bool PartyMember, bool Leader, DateOnly JoinedOn, DateTimeOffset JoinedAt,
    DateTimeOffset? LeftAt, MembershipEnd? EndedBy);

/// <summary>One of the signed-in worker's memberships.</summary>
public sealed record MyMembershipView(Guid TeamId, string TeamName, Guid CommunityId, bool Leader, DateTimeOffset JoinedAt, DateTimeOffset? LeftAt, MembershipEnd? EndedBy);

public static class VanguardTeamsApi
{
    private const string OneTeamPerCommunity = "ix_vanguard_teams_one_active_per_community";

    public static IEndpointRouteBuilder MapVanguardTeamsApi(this IEndpointRouteBuilder app)
    {
        var teams = app.MapGroup("/vanguard-teams").WithTags("Vanguard teams");
        string[] managers = [PlatformRoles.CommunityStaff, PlatformRoles.OrgOfficer, PlatformRoles.Operator];
        teams.MapPost("/", Form)
            .RequireRoles(managers)
            .AcceptsIdempotencyKey()
            .WithName("FormVanguardTeam")
            .WithSummary("Form a community's red volunteer vanguard team")
            .WithDescription("One active team per community. The leader must be a Party member reported in to the community and in no other team; they become the first member. Community staff form teams in their own communities.");
        teams.MapGet("/", List)
            .RequireAuthorization()
            .WithName("ListVanguardTeams")
            .WithSummary("Vanguard teams (leaders masked)")
            .WithDescription("Filter by community or district; dissolved teams only with includeDissolved=true.");
        teams.MapGet("/{id:guid}", Get)
            .RequireAuthorization()
            .WithName("GetVanguardTeam")
            .WithSummary("One vanguard team");
        teams.MapGet("/{id:guid}/members", Members)
            .RequireRoles(PlatformRoles.Worker, PlatformRoles.CommunityStaff, PlatformRoles.OrgOfficer, PlatformRoles.Operator)
            .WithName("ListVanguardTeamMembers")
            .WithSummary("A team's members (masked), with former members on request")
            .WithDescription("For the community's staff, officers, operators and the team's own members. includeFormer=true adds ended memberships (the team's history).");
        teams.MapPost("/{id:guid}/members", Add)
            .RequireRoles(managers)
            .AcceptsIdempotencyKey()
            .WithName("AddVanguardTeamMember")
            .WithSummary("Put a worker on the team")
            .WithDescription("The worker must be reported in to the team's community and in no team (a worker is in one team at a time).");
        teams.MapDelete("/{id:guid}/members/{workerId:guid}", Remove)
            .RequireRoles(managers)
            .WithName("RemoveVanguardTeamMember")
            .WithSummary("Take a worker off the team")
            .WithDescription("The leader cannot be removed: hand the leadership over first.");
        teams.MapPut("/{id:guid}/leader", HandOver)
            .RequireRoles(managers)
            .WithName("ChangeVanguardTeamLeader")
            .WithSummary("Hand the leadership to another member")
            .WithDescription("The new leader must be a Party member already on the team; the former leader stays a member.");
        teams.MapPost("/{id:guid}/dissolve", Dissolve)
            .RequireRoles(managers)
            .WithName("DissolveVanguardTeam")
            .WithSummary("Dissolve a team")
            .WithDescription("Ends every membership (kept as history); the community may form a new team.");

        var mine = app.MapGroup("/workers/me").WithTags("Vanguard teams").RequireRoles(PlatformRoles.Worker);
        mine.MapPost("/vanguard-team", Join)
            .AcceptsIdempotencyKey()
            .WithName("JoinVanguardTeam")
            .WithSummary("Join my community's vanguard team")
            .WithDescription("The worker must be reported in to the team's community and in no other team.");
        mine.MapDelete("/vanguard-team", Leave)
            .WithName("LeaveVanguardTeam")
            .WithSummary("Leave my vanguard team")
            .WithDescription("A leader hands the leadership over first.");
        mine.MapGet("/vanguard-memberships", MyMemberships)
            .WithName("ListMyVanguardMemberships")
            .WithSummary("My vanguard team memberships, current and past");
        return app;
    }

    internal static async Task<Results<Created<VanguardTeamView>, ValidationProblem, ProblemHttpResult>> Form(
        FormTeamRequest request, ClaimsPrincipal user, VolunteersDb db, PersonalDataProtector protector, TimeProvider clock, CancellationToken ct)
    {
        if (request.CommunityId is not { } communityId)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["communityId"] = ["communityId is required."] });
        }
        if (!await db.Communities.AnyAsync(c => c.Id == communityId, ct))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["communityId"] = ["No community with this id is registered."] });
        }
        if (!MayManage(user, communityId))
        {
            return Problems.Forbidden("You may form teams only in your own communities.");
        }
        if (await db.VanguardTeams.AnyAsync(t => t.CommunityId == communityId && t.DissolvedAt == null, ct))
        {
            return Refusal.Conflict("This community already has an active vanguard team.").ToProblem();
        }
        if (request.LeaderId is not { } leaderId)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["leaderId"] = ["leaderId is required."] });
        }
        var leader = await CandidateAsync(db, leaderId, ct);
        var formed = VanguardTeam.Form(request.Name, communityId, leader, clock.GetUtcNow());
        if (formed.Refusal is { } refused)
        {
            return refused.ToProblem();
        }
        var (team, membership) = formed.Value;
        db.VanguardTeams.Add(team);
        db.VanguardMemberships.Add(membership);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation(OneTeamPerCommunity))
        {
            return Refusal.Conflict("This community already has an active vanguard team.").ToProblem();
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            return Refusal.Conflict("The leader is already in a vanguard team; they must leave it first.").ToProblem();
        }
        return TypedResults.Created($"/vanguard-teams/{team.Id}", (await ViewsAsync([team], db, protector, ct))[0]);
    }

    internal static async Task<Results<Ok<Page<VanguardTeamView>>, ValidationProblem>> List(
        VolunteersDb db, PersonalDataProtector protector, [AsParameters] PageQuery paging, Guid? communityId, string? district, bool? includeDissolved, CancellationToken ct)
    {
        var query = db.VanguardTeams.AsNoTracking();
        if (includeDissolved != true)
        {
            query = query.Where(t => t.DissolvedAt == null);
        }
        if (communityId is { } community)
        {
            query = query.Where(t => t.CommunityId == community);
        }
        if (!string.IsNullOrWhiteSpace(district))
        {
            var d = district.Trim();
            query = query.Where(t => db.Communities.Any(c => c.Id == t.CommunityId && c.District == d));
        }
        var page = await query.OrderBy(t => t.FormedAt).ThenBy(t => t.Id).ToPageAsync(paging, ct);
        return TypedResults.Ok(page.With(await ViewsAsync([.. page.Items], db, protector, ct)));
    }

    internal static async Task<Results<Ok<VanguardTeamView>, NotFound>> Get(Guid id, VolunteersDb db, PersonalDataProtector protector, CancellationToken ct)
    {
        var team = await db.VanguardTeams.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, ct);
        return team is null ? TypedResults.NotFound() : TypedResults.Ok((await ViewsAsync([team], db, protector, ct))[0]);
    }

    internal static async Task<Results<Ok<Page<TeamMemberView>>, NotFound, ValidationProblem>> Members(
        Guid id, ClaimsPrincipal user, VolunteersDb db, PersonalDataProtector protector, [AsParameters] PageQuery paging, bool? includeFormer, CancellationToken ct)
    {
        var team = await db.VanguardTeams.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, ct);
        if (team is null || !await MaySeeMembersAsync(user, team, db, ct))
        {
            return TypedResults.NotFound();
        }
        var query = db.VanguardMemberships.AsNoTracking().Where(m => m.TeamId == id);
        if (includeFormer != true)
        {
            query = query.Where(m => m.LeftAt == null);
        }
        var page = await query
            .Join(db.Workers, m => m.WorkerId, w => w.Id, (m, w) => new { Membership = m, Worker = w })
            .OrderBy(x => x.Membership.LeftAt != null).ThenBy(x => x.Membership.JoinedAt).ThenBy(x => x.Membership.Id)
            .ToPageAsync(paging, ct);
        return TypedResults.Ok(page.Map(x => new TeamMemberView(
            x.Worker.Id, x.Worker.Masked(protector).Name, x.Worker.Occupation, x.Worker.PartyMember,
            x.Membership.IsCurrent && x.Worker.Id == team.LeaderId,
            x.Membership.JoinedOn, x.Membership.JoinedAt, x.Membership.LeftAt, x.Membership.EndedBy)));
    }

    internal static async Task<Results<Ok<TeamMemberView>, NotFound, ValidationProblem, ProblemHttpResult>> Add(
        Guid id, TeamMemberRequest request, ClaimsPrincipal user, VolunteersDb db, PersonalDataProtector protector, TimeProvider clock, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginOrJoinTransactionAsync(ct);
        var team = await LockTeamAsync(db, id, exclusive: false, ct);
        if (team is null || !MayManage(user, team.CommunityId))
        {
            return TypedResults.NotFound();
        }
        var candidate = request.WorkerId is { } workerId ? await CandidateAsync(db, workerId, ct) : null;
        if (candidate is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["workerId"] = [request.WorkerId is null ? "workerId is required." : "No registered worker with this id."],
            });
        }
        return await JoinAsync(team, candidate, tx, db, protector, clock, ct);
    }

    internal static async Task<Results<Ok<TeamMemberView>, NotFound, ValidationProblem, ProblemHttpResult>> Join(
        JoinTeamRequest request, ClaimsPrincipal user, VolunteersDb db, PersonalDataProtector protector, TimeProvider clock, CancellationToken ct)
    {
        if (user.WorkerId() is not { } workerId)
        {
            return WorkersApi.NoWorkerId();
        }
        if (request.TeamId is not { } teamId)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["teamId"] = ["teamId is required."] });
        }
        await using var tx = await db.Database.BeginOrJoinTransactionAsync(ct);
        var team = await LockTeamAsync(db, teamId, exclusive: false, ct);
        if (team is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["teamId"] = ["No vanguard team with this id."] });
        }
        var candidate = await CandidateAsync(db, workerId, ct);
        if (candidate is null)
        {
            return WorkersApi.NotRegistered();
        }
        return await JoinAsync(team, candidate, tx, db, protector, clock, ct);
    }

    private static async Task<Results<Ok<TeamMemberView>, NotFound, ValidationProblem, ProblemHttpResult>> JoinAsync(
        VanguardTeam team, TeamCandidate candidate, IDbContextTransaction tx, VolunteersDb db, PersonalDataProtector protector, TimeProvider clock, CancellationToken ct)
    {
        var joined = team.Join(candidate, clock.GetUtcNow());
        if (joined.Refusal is { } refused)
        {
            return refused.ToProblem();
        }
        var membership = joined.Value!;
        db.VanguardMemberships.Add(membership);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            // Another join for the same worker won the race (the partial unique index on current memberships).
            return Refusal.Conflict("The worker is already in a vanguard team; a worker is in one team at a time.").ToProblem();
        }
        // Through the handle: with an Idempotency-Key it is a savepoint in the request's transaction.
        await tx.CommitAsync(ct);
        var worker = await db.Workers.AsNoTracking().FirstAsync(w => w.Id == candidate.WorkerId, ct);
        return TypedResults.Ok(new TeamMemberView(worker.Id, worker.Masked(protector).Name, worker.Occupation, worker.PartyMember, false,
            membership.JoinedOn, membership.JoinedAt, null, null));
    }

    internal static async Task<Results<NoContent, NotFound, ProblemHttpResult>> Remove(
        Guid id, Guid workerId, ClaimsPrincipal user, VolunteersDb db, TimeProvider clock, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var team = await LockTeamAsync(db, id, exclusive: false, ct);
        if (team is null || !MayManage(user, team.CommunityId))
        {
            return TypedResults.NotFound();
        }
        var membership = await db.VanguardMemberships.FirstOrDefaultAsync(m => m.TeamId == id && m.WorkerId == workerId && m.LeftAt == null, ct);
        if (membership is null)
        {
            return TypedResults.NotFound();
        }
        return await EndAsync(team, membership, MembershipEnd.Removed, db, clock, ct);
    }

    internal static async Task<Results<NoContent, NotFound, ProblemHttpResult>> Leave(ClaimsPrincipal user, VolunteersDb db, TimeProvider clock, CancellationToken ct)
    {
        if (user.WorkerId() is not { } workerId)
        {
            return WorkersApi.NoWorkerId();
        }
        var teamId = await db.VanguardMemberships.Where(m => m.WorkerId == workerId && m.LeftAt == null).Select(m => (Guid?)m.TeamId).FirstOrDefaultAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var team = teamId is null ? null : await LockTeamAsync(db, teamId.Value, exclusive: false, ct);
        var membership = team is null ? null
            : await db.VanguardMemberships.FirstOrDefaultAsync(m => m.TeamId == team.Id && m.WorkerId == workerId && m.LeftAt == null, ct);
        if (team is null || membership is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "You are not in a vanguard team.");
        }
        return await EndAsync(team, membership, MembershipEnd.Left, db, clock, ct);
    }

    private static async Task<Results<NoContent, NotFound, ProblemHttpResult>> EndAsync(
        VanguardTeam team, VanguardMembership membership, MembershipEnd how, VolunteersDb db, TimeProvider clock, CancellationToken ct)
    {
        var ended = team.Leave(membership, how, clock.GetUtcNow());
        if (ended.Refusal is { } refused)
        {
            return refused.ToProblem();
        }
        await db.SaveChangesAsync(ct);
        await db.Database.CommitTransactionAsync(ct);
        return TypedResults.NoContent();
    }

    internal static async Task<Results<Ok<VanguardTeamView>, NotFound, ValidationProblem, ProblemHttpResult>> HandOver(
        Guid id, TeamMemberRequest request, ClaimsPrincipal user, VolunteersDb db, PersonalDataProtector protector, TimeProvider clock, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var team = await LockTeamAsync(db, id, exclusive: true, ct);
        if (team is null || !MayManage(user, team.CommunityId))
        {
            return TypedResults.NotFound();
        }
        var candidate = request.WorkerId is { } workerId ? await CandidateAsync(db, workerId, ct) : null;
        if (candidate is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["workerId"] = [request.WorkerId is null ? "workerId is required." : "No registered worker with this id."],
            });
        }
        var handedOver = team.HandOver(candidate, clock.GetUtcNow());
        if (handedOver.Refusal is { } refused)
        {
            return refused.ToProblem();
        }
        if (await SaveTeamAsync(db, ct) is { } conflict)
        {
            return conflict;
        }
        return TypedResults.Ok((await ViewsAsync([team], db, protector, ct))[0]);
    }

    internal static async Task<Results<Ok<VanguardTeamView>, NotFound, ProblemHttpResult>> Dissolve(
        Guid id, ClaimsPrincipal user, VolunteersDb db, PersonalDataProtector protector, TimeProvider clock, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var team = await LockTeamAsync(db, id, exclusive: true, ct);
        if (team is null || !MayManage(user, team.CommunityId))
        {
            return TypedResults.NotFound();
        }
        var current = await db.VanguardMemberships.Where(m => m.TeamId == id && m.LeftAt == null).ToListAsync(ct);
        var dissolved = team.Dissolve(current, clock.GetUtcNow());
        if (dissolved.Refusal is { } refused)
        {
            return refused.ToProblem();
        }
        if (await SaveTeamAsync(db, ct) is { } conflict)
        {
            return conflict;
        }
        return TypedResults.Ok((await ViewsAsync([team], db, protector, ct))[0]);
    }

    internal static async Task<Results<Ok<Page<MyMembershipView>>, ValidationProblem, ProblemHttpResult>> MyMemberships(
        ClaimsPrincipal user, VolunteersDb db, [AsParameters] PageQuery paging, CancellationToken ct)
    {
        if (user.WorkerId() is not { } workerId)
        {
            return WorkersApi.NoWorkerId();
        }
        var page = await db.VanguardMemberships.AsNoTracking().Where(m => m.WorkerId == workerId)
            .Join(db.VanguardTeams, m => m.TeamId, t => t.Id, (m, t) => new { Membership = m, Team = t })
            .OrderByDescending(x => x.Membership.JoinedAt).ThenByDescending(x => x.Membership.Id)
            .ToPageAsync(paging, ct);
        return TypedResults.Ok(page.Map(x => new MyMembershipView(x.Team.Id, x.Team.Name, x.Team.CommunityId, x.Membership.IsCurrent && x.Team.LeaderId == workerId,
            x.Membership.JoinedAt, x.Membership.LeftAt, x.Membership.EndedBy)));
    }

    /// <summary>The worker as a team sees them; their current membership is tracked so that leaving can end it.</summary>
    private static async Task<TeamCandidate?> CandidateAsync(VolunteersDb db, Guid workerId, CancellationToken ct)
    {
        var found = await db.Workers.AsNoTracking().Where(w => w.Id == workerId)
            .Select(w => new
            {
                w.PartyMember,
                Community = db.ReportIns.Where(r => r.WorkerId == w.Id && r.Status == ReportInStatus.Active).Select(r => (Guid?)r.CommunityId).FirstOrDefault(),
            })
            .FirstOrDefaultAsync(ct);
        if (found is null)
        {
            return null;
        }
        var membership = await db.VanguardMemberships.FirstOrDefaultAsync(m => m.WorkerId == workerId && m.LeftAt == null, ct);
        return new TeamCandidate(workerId, found.PartyMember, found.Community, membership);
    }

    /// <summary>
    /// Reads the team under a row lock for the rest of the transaction: shared for joining and leaving (many at once),
    /// exclusive for a hand-over or dissolution. So a join cannot land in a team being dissolved, and a member cannot
    /// leave at the moment they are made leader (each sees the other's outcome).
    /// </summary>
    private static async Task<VanguardTeam?> LockTeamAsync(VolunteersDb db, Guid id, bool exclusive, CancellationToken ct)
    {
        var rows = exclusive
            ? await db.VanguardTeams.FromSql($"SELECT *, xmin FROM vanguard_teams WHERE \"Id\" = {id} FOR UPDATE").ToListAsync(ct)
            : await db.VanguardTeams.FromSql($"SELECT *, xmin FROM vanguard_teams WHERE \"Id\" = {id} FOR SHARE").ToListAsync(ct);
        return rows.SingleOrDefault();
    }

    private static bool MayManage(ClaimsPrincipal user, Guid communityId) =>
        user.IsInRole(PlatformRoles.OrgOfficer) || Access.MayActFor(user, communityId);

    private static async Task<bool> MaySeeMembersAsync(ClaimsPrincipal user, VanguardTeam team, VolunteersDb db, CancellationToken ct)
    {
        if (MayManage(user, team.CommunityId))
        {
            return true;
        }
        return user.WorkerId() is { } workerId
            && await db.VanguardMemberships.AnyAsync(m => m.TeamId == team.Id && m.WorkerId == workerId && m.LeftAt == null, ct);
    }

    private static async Task<ProblemHttpResult?> SaveTeamAsync(VolunteersDb db, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            await db.Database.CommitTransactionAsync(ct);
            return null;
        }
        catch (DbUpdateConcurrencyException)
        {
            return Refusal.Conflict("This team was changed by someone else at the same moment; look again and retry.").ToProblem();
        }
    }

    private static async Task<List<VanguardTeamView>> ViewsAsync(IReadOnlyList<VanguardTeam> teams, VolunteersDb db, PersonalDataProtector protector, CancellationToken ct)
    {
        var ids = teams.Select(t => t.Id).ToList();
        var leaderIds = teams.Select(t => t.LeaderId).Distinct().ToList();
        var communityIds = teams.Select(t => t.CommunityId).Distinct().ToList();
        var counts = await db.VanguardMemberships.Where(m => ids.Contains(m.TeamId) && m.LeftAt == null)
            .GroupBy(m => m.TeamId).Select(g => new { g.Key, Count = g.LongCount() })
            .ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        var leaders = await db.Workers.AsNoTracking().Where(w => leaderIds.Contains(w.Id)).ToDictionaryAsync(w => w.Id, ct);
        var communities = await db.Communities.AsNoTracking().Where(c => communityIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, ct);
        return teams.Select(t => new VanguardTeamView(
            t.Id, t.Name, t.CommunityId, communities.GetValueOrDefault(t.CommunityId)?.Name ?? "", communities.GetValueOrDefault(t.CommunityId)?.District ?? "",
            leaders.TryGetValue(t.LeaderId, out var leader) ? leader.Masked(protector).Name : "",
            t.LeaderSince, counts.GetValueOrDefault(t.Id), t.FormedAt, t.DissolvedAt)).ToList();
    }
}

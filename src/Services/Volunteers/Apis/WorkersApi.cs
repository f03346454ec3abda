using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Platform.ServiceDefaults.Data;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.Messaging;
using Platform.ServiceDefaults.Security;
using Platform.ServiceDefaults.Validation;
using Platform.Volunteers.Data;
using Platform.Volunteers.Domain;

namespace Platform.Volunteers.Apis;

/// <summary>A worker's own profile, in full: only ever answered to the worker themself.</summary>
public sealed record WorkerProfile(
    Guid Id, string Name, string Phone, string? IdNumber, Occupation Occupation, Guid EnterpriseId, string EnterpriseName,
    bool PartyMember, DateOnly? PartyJoinedOn, string? District, Guid? CommunityId, DateTimeOffset RegisteredAt, DateTimeOffset UpdatedAt);

/// <summary>A worker as staff and officers see them: personal fields masked.</summary>
public sealed record WorkerSummary(
    Guid Id, string Name, string Phone, Occupation Occupation, Guid EnterpriseId, bool PartyMember, string? District, Guid? CommunityId, DateTimeOffset RegisteredAt);

public static class WorkersApi
{
    public static RouteGroupBuilder MapWorkersApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/workers").WithTags("Workers");
        group.MapPost("/me", Register)
            .RequireRoles(PlatformRoles.Worker)
            .AcceptsIdempotencyKey()
            .WithName("RegisterWorker")
            .WithSummary("Register my worker profile")
            .WithDescription("The signed-in worker registers once: name, phone, optional resident ID number, occupation, enterprise (must be registered), Party membership. Personal fields are stored encrypted. Publishes WorkerRegistered (no personal data).");
        group.MapGet("/me", GetMine)
            .RequireRoles(PlatformRoles.Worker)
            .WithName("GetMyWorkerProfile")
            .WithSummary("My worker profile, in full");
        group.MapPut("/me", UpdateMine)
            .RequireRoles(PlatformRoles.Worker)
            .WithName("UpdateMyWorkerProfile")
            .WithSummary("Change my worker profile")
            .WithDescription("Replaces every field of the profile (send them all).");
        group.MapGet("/", List)
            .RequireRoles(PlatformRoles.CommunityStaff, PlatformRoles.OrgOfficer, PlatformRoles.Operator)
            .WithName("ListWorkers")
            .WithSummary("List workers (personal fields masked)")
            .WithDescription("Community staff see the workers reported in to their communities; officers and operators see all. Filter by occupation, community, Party membership.");
        group.MapGet("/{id:guid}", Get)
            .RequireRoles(PlatformRoles.Worker, PlatformRoles.CommunityStaff, PlatformRoles.OrgOfficer, PlatformRoles.Operator)
            .WithName("GetWorker")
            .WithSummary("One worker")
            .WithDescription("A worker gets their own full profile and 404 for anyone else; staff get a masked view of workers in their communities.");
        return group;
    }

    internal static async Task<Results<Created<WorkerProfile>, ValidationProblem, ProblemHttpResult>> Register(
        WorkerDetails request, ClaimsPrincipal user, VolunteersDb db, PersonalDataProtector protector, TimeProvider clock, CancellationToken ct)
    {
        if (user.WorkerId() is not { } workerId)
        {
            return NoWorkerId();
        }
        if (await db.Workers.AnyAsync(w => w.Id == workerId, ct))
        {
            return Refusal.Conflict("You are already registered.", "Change your profile with PUT /workers/me.").ToProblem();
        }
        var enterprise = request.EnterpriseId is { } enterpriseId ? await db.Enterprises.FindAsync([enterpriseId], ct) : null;
        var registered = Worker.Register(workerId, request, enterprise, protector, clock.GetUtcNow());
        if (!registered.IsValid)
        {
            return TypedResults.ValidationProblem(registered.Errors);
        }
        var worker = registered.Value!;
        db.Workers.Add(worker);
        db.Publish(worker.ToEvent(), clock);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            return PhoneOrWorkerTaken();
        }
        return TypedResults.Created("/workers/me", ProfileOf(worker, enterprise!, null, protector));
    }

    internal static async Task<Results<Ok<WorkerProfile>, ProblemHttpResult>> GetMine(ClaimsPrincipal user, VolunteersDb db, PersonalDataProtector protector, CancellationToken ct)
    {
        if (user.WorkerId() is not { } workerId)
        {
            return NoWorkerId();
        }
        var profile = await LoadProfileAsync(workerId, db, protector, ct);
        return profile is null ? NotRegistered() : TypedResults.Ok(profile);
    }

    internal static async Task<Results<Ok<WorkerProfile>, ValidationProblem, ProblemHttpResult>> UpdateMine(
        WorkerDetails request, ClaimsPrincipal user, VolunteersDb db, PersonalDataProtector protector, TimeProvider clock, CancellationToken ct)
    {
        if (user.WorkerId() is not { } workerId)
        {
            return NoWorkerId();
        }
        var worker = await db.Workers.FirstOrDefaultAsync(w => w.Id == workerId, ct);
        if (worker is null)
        {
            return NotRegistered();
        }
        var enterprise = request.EnterpriseId is { } enterpriseId ? await db.Enterprises.FindAsync([enterpriseId], ct) : null;
        var errors = worker.Update(request, enterprise, protector, clock.GetUtcNow());
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            return PhoneOrWorkerTaken();
        }
        return TypedResults.Ok((await LoadProfileAsync(workerId, db, protector, ct))!);
    }

    internal static async Task<Results<Ok<Page<WorkerSummary>>, ValidationProblem>> List(
        ClaimsPrincipal user, VolunteersDb db, PersonalDataProtector protector, [AsParameters] PageQuery paging,
        string? occupation, Guid? communityId, bool? partyMember, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var occupationFilter = KebabEnum.Filter<Occupation>(occupation, "occupation", errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var query = db.Workers.AsNoTracking();
        var active = db.ReportIns.Where(r => r.Status == ReportInStatus.Active);
        if (Access.IsCommunityStaffOnly(user))
        {
            var mine = user.CommunityIds().ToList();
            query = query.Where(w => active.Any(r => r.WorkerId == w.Id && mine.Contains(r.CommunityId)));
        }
        if (communityId is { } community)
        {
            query = query.Where(w => active.Any(r => r.WorkerId == w.Id && r.CommunityId == community));
        }
        if (occupationFilter is { } o)
        {
            query = query.Where(w => w.Occupation == o);
        }
        if (partyMember is { } p)
        {
            query = query.Where(w => w.PartyMember == p);
        }
        return TypedResults.Ok((await query.OrderBy(w => w.RegisteredAt).ThenBy(w => w.Id)
            .Select(w => new { Worker = w, Community = active.Where(r => r.WorkerId == w.Id).Select(r => (Guid?)r.CommunityId).FirstOrDefault() }).ToPageAsync(paging, ct)).Map(x => SummaryOf(x.Worker, x.Community, protector)));
    }

    internal static async Task<Results<Ok<WorkerProfile>, Ok<WorkerSummary>, NotFound>> Get(
        Guid id, ClaimsPrincipal user, VolunteersDb db, PersonalDataProtector protector, CancellationToken ct)
    {
        if (user.IsInRole(PlatformRoles.Worker) && !Access.IsStaff(user))
        {
            // A worker reaches only their own record; anyone else's does not exist for them.
            var profile = user.WorkerId() == id ? await LoadProfileAsync(id, db, protector, ct) : null;
            return profile is null ? TypedResults.NotFound() : TypedResults.Ok(profile);
        }
        var worker = await db.Workers.AsNoTracking().FirstOrDefaultAsync(w => w.Id == id, ct);
        if (worker is null)
        {
            return TypedResults.NotFound();
        }
        var community = await db.ReportIns.Where(r => r.WorkerId == id && r.Status == ReportInStatus.Active).Select(r => (Guid?)r.CommunityId).FirstOrDefaultAsync(ct);
        if (Access.IsCommunityStaffOnly(user) && (community is null || !user.CommunityIds().Contains(community.Value)))
        {
            return TypedResults.NotFound();
        }
        return TypedResults.Ok(SummaryOf(worker, community, protector));
    }

    private static async Task<WorkerProfile?> LoadProfileAsync(Guid workerId, VolunteersDb db, PersonalDataProtector protector, CancellationToken ct)
    {
        var found = await db.Workers.AsNoTracking().Where(w => w.Id == workerId)
            .Select(w => new
            {
                Worker = w,
                Enterprise = db.Enterprises.First(e => e.Id == w.EnterpriseId),
                Community = db.ReportIns.Where(r => r.WorkerId == w.Id && r.Status == ReportInStatus.Active).Select(r => (Guid?)r.CommunityId).FirstOrDefault(),
            })
            .FirstOrDefaultAsync(ct);
        return found is null ? null : ProfileOf(found.Worker, found.Enterprise, found.Community, protector);
    }

    private static WorkerProfile ProfileOf(Worker w, LocalEnterprise enterprise, Guid? community, PersonalDataProtector protector)
    {
        var clear = w.Reveal(protector);
        return new(w.Id, clear.Name, clear.Phone, clear.IdNumber, w.Occupation, w.EnterpriseId, enterprise.Name, w.PartyMember, w.PartyJoinedOn, w.District, community, w.RegisteredAt, w.UpdatedAt);
    }

    internal static WorkerSummary SummaryOf(Worker w, Guid? community, PersonalDataProtector protector)
    {
        var masked = w.Masked(protector);
        return new(w.Id, masked.Name, masked.Phone, w.Occupation, w.EnterpriseId, w.PartyMember, w.District, community, w.RegisteredAt);
    }

    internal static ProblemHttpResult NoWorkerId() =>
        TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "This token does not identify a worker.");

    internal static ProblemHttpResult NotRegistered() =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "You have not registered yet.", detail: "Register your profile with POST /workers/me first.");

    private static ProblemHttpResult PhoneOrWorkerTaken() =>
        Refusal.Conflict("This phone number is already registered.", "Another worker profile uses this phone number.").ToProblem();
}

using Microsoft.EntityFrameworkCore;
using Platform.Organizations.Data;
using Platform.Organizations.Domain;
using Platform.ServiceDefaults.Messaging;

namespace Platform.Organizations.Application;

/// <summary>
/// Places Party-member workers where <see cref="PlacementTarget.Decide"/> says, from what the database knows now. Called
/// by both event consumers (so the result is the same whichever event arrives first, and a repeated event changes
/// nothing) and when an organization is established (so members waiting, or placed by fallback, move in).
/// Changes are tracked only; the caller saves them together with the MemberPlaced events in the outbox.
/// </summary>
public sealed class MemberPlacements(OrganizationsDb db, TimeProvider clock)
{
    /// <summary>Advisory lock key ("ORG-PLCE") shared by everything that decides placements.</summary>
    private const long PlacementLock = 0x4F52_472D_504C_4345;

    /// <summary>First key ("WK") of the per-worker locks.</summary>
    private const int WorkerLockSpace = 0x574B;

    /// <summary>
    /// Taken by the event consumers in their transaction, before handling their messages. First the placement lock,
    /// shared, so that they run side by side but never while an organization is being established: otherwise a
    /// consumer could decide "fallback" just before the covering organization commits, while the establishing request
    /// could not yet see that consumer's worker. Then a lock per worker, so that the two events of a new worker
    /// (registered, reported in) are applied one after the other and the second finds the worker row the first added
    /// instead of adding it again (a unique violation, a failed batch, a retry). The worker locks are taken in sorted
    /// order for the whole batch, so batches of the two consumers cannot deadlock; they use the two-key form, a key
    /// space of their own apart from <see cref="PlacementLock"/> (a hash collision only makes two workers wait).
    /// </summary>
    public async Task LockForEventsAsync(IReadOnlyCollection<Guid> workerIds, CancellationToken ct)
    {
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock_shared({PlacementLock})", ct);
        var keys = workerIds.Select(id => id.ToString()).Distinct().ToArray();
        await db.Database.ExecuteSqlAsync(
            $"SELECT pg_advisory_xact_lock({WorkerLockSpace}, k) FROM (SELECT DISTINCT hashtext(id) AS k FROM unnest({keys}) AS id) AS w ORDER BY k", ct);
    }

    /// <summary>Taken (exclusive) by establishing an organization or widening its coverage, in its transaction.</summary>
    public Task LockForOrganizationChangeAsync(CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({PlacementLock})", ct);

    /// <summary>
    /// What both worker events do: record what the event says (adding the worker's row if it is the first news of them),
    /// then place the worker from everything stored, not from the event alone, since the other event may have come first.
    /// </summary>
    public async Task RecordAndPlaceAsync(Guid workerId, Action<WorkerRecord> record, CancellationToken ct)
    {
        var worker = await db.Workers.FindAsync([workerId], ct);
        if (worker is null)
        {
            worker = WorkerRecord.For(workerId);
            db.Workers.Add(worker);
        }
        record(worker);
        await PlaceAsync(worker, ct);
    }

    /// <summary>Places (or moves) the worker's membership. Returns the member when it was placed or moved.</summary>
    public async Task<Member?> PlaceAsync(WorkerRecord worker, CancellationToken ct)
    {
        if (!worker.PartyMember)
        {
            return null;
        }
        var covering = worker.EnterpriseId is { } enterpriseId ? await CoveringOrganizationAsync(enterpriseId, ct) : null;
        var local = covering is null && worker.CommunityId is { } communityId ? await LocalOrganizationAsync(communityId, ct) : null;
        var target = PlacementTarget.Decide(worker.PartyMember, covering, local);
        if (target is null)
        {
            return null;
        }
        var now = clock.GetUtcNow();
        var member = await db.Members.Include(m => m.Placements.Where(p => p.EndedAt == null))
            .FirstOrDefaultAsync(m => m.WorkerId == worker.WorkerId, ct);
        if (member is null)
        {
            member = Member.Place(worker.WorkerId, target, now);
            db.Members.Add(member);
        }
        else if (!member.Follow(target, now))
        {
            return null;
        }
        db.Publish(member.ToPlacedEvent(), clock);
        return member;
    }

    /// <summary>
    /// After <paramref name="organization"/> was established: places the party members of the enterprises it covers and,
    /// for a community's local organization, the members of that community who were waiting or placed elsewhere by fallback.
    /// </summary>
    public async Task<int> PlaceAfterEstablishingAsync(PartyOrganization organization, CancellationToken ct)
    {
        var enterprises = organization.EnterpriseIds.ToList();
        var community = organization.LocalCommunityId;
        var workers = await db.Workers
            .Where(w => w.PartyMember
                        && ((w.EnterpriseId != null && enterprises.Contains(w.EnterpriseId.Value))
                            || (community != null && w.CommunityId == community)))
            .ToListAsync(ct);
        var moved = 0;
        foreach (var worker in workers)
        {
            if (await PlaceAsync(worker, ct) is not null)
            {
                moved++;
            }
        }
        return moved;
    }

    private Task<Guid?> CoveringOrganizationAsync(Guid enterpriseId, CancellationToken ct) =>
        db.CoveredEnterprises
            .Where(c => c.EnterpriseId == enterpriseId && !c.Released)
            .Join(db.Organizations.Where(o => o.Status == FoundingStatus.Approved), c => c.OrganizationId, o => o.Id, (c, o) => (Guid?)o.Id)
            .FirstOrDefaultAsync(ct);

    private Task<Guid?> LocalOrganizationAsync(Guid communityId, CancellationToken ct) =>
        db.Organizations
            .Where(o => o.LocalCommunityId == communityId && o.Status == FoundingStatus.Approved)
            .Select(o => (Guid?)o.Id)
            .FirstOrDefaultAsync(ct);
}

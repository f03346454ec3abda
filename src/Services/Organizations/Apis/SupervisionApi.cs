using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Platform.Organizations.Data;
using Platform.Organizations.Domain;
using Platform.ServiceDefaults.Data;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.Security;
using Platform.ServiceDefaults.Time;
using Platform.ServiceDefaults.Validation;

namespace Platform.Organizations.Apis;

public sealed record RecordSixHavesRequest(string? Evidence, DateOnly? VerifiedOn);

public sealed record SixHavesItemResponse(SixHavesItem Item, string? Evidence, DateOnly? VerifiedOn);

public sealed record SixHavesResponse(Guid OrganizationId, bool Compliant, IReadOnlyList<SixHavesItemResponse> Items, IReadOnlyList<SixHavesItem> Missing);

public sealed record NonCompliantResponse(Guid OrganizationId, string Name, OrganizationKind Kind, IReadOnlyList<SixHavesItem> Missing);

public sealed record RecordDeliveryRequest(DeliveryItem? Item, DateOnly? DeliveredOn, string? Note);

public sealed record DeliveryResponse(DeliveryItem Item, DateOnly DeliveredOn, string? Note);

public sealed record DeliveriesResponse(Guid OrganizationId, IReadOnlyList<DeliveryResponse> Delivered, IReadOnlyList<DeliveryItem> Outstanding);

public sealed record OutstandingDeliveriesResponse(Guid OrganizationId, string Name, DateOnly? ApprovedOn, IReadOnlyList<DeliveryItem> Outstanding);

/// <summary>"Six haves" (六有) premises standard and "nine deliveries" (九送) to new organizations.</summary>
public static class SupervisionApi
{
    public static RouteGroupBuilder MapSupervisionApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/organizations").WithTags("Six haves and nine deliveries")
            .RequireRoles(PlatformRoles.OrgOfficer, PlatformRoles.Operator);
        group.MapPut("/{id:guid}/six-haves/{item}", RecordSixHaves)
            .WithName("RecordSixHaves")
            .WithSummary("Record evidence for one of the six haves, verified on a date")
            .WithDescription("item is one of place, facilities, sign, flag, books, rules. Without verifiedOn the item stays missing.");
        group.MapGet("/{id:guid}/six-haves", GetSixHaves)
            .WithName("GetSixHaves")
            .WithSummary("The six-haves checklist of an organization and what is missing");
        group.MapGet("/non-compliant", NonCompliant)
            .WithName("ListNonCompliantOrganizations")
            .WithSummary("Established organizations that do not yet have all six haves verified, with what is missing");
        group.MapPost("/{id:guid}/deliveries", RecordDelivery)
            .AcceptsIdempotencyKey()
            .WithName("RecordDelivery")
            .WithSummary("Record one of the nine deliveries to an organization");
        group.MapGet("/{id:guid}/deliveries", GetDeliveries)
            .WithName("GetDeliveries")
            .WithSummary("What was delivered to an organization when, and what is outstanding");
        group.MapGet("/deliveries-outstanding", OutstandingDeliveries)
            .WithName("ListOutstandingDeliveries")
            .WithSummary("Established organizations still waiting for some of the nine deliveries");
        return group;
    }

    internal static async Task<Results<Ok<SixHavesResponse>, NotFound, ValidationProblem, ProblemHttpResult>> RecordSixHaves(
        Guid id, string item, RecordSixHavesRequest request, OrganizationsDb db, TimeProvider clock, CancellationToken ct)
    {
        if (!KebabEnum.TryParse<SixHavesItem>(item, out var which))
        {
            return Refusal.Invalid("item", $"item must be one of {KebabEnum.Names<SixHavesItem>()}.").ToProblem();
        }
        var organization = await db.Organizations.AsNoTracking().FirstOrDefaultAsync(o => o.Id == id, ct);
        if (organization is null)
        {
            return TypedResults.NotFound();
        }
        var check = await db.SixHaves.FirstOrDefaultAsync(c => c.OrganizationId == id && c.Item == which, ct);
        var isNew = check is null;
        check ??= SixHavesCheck.For(organization, which);
        if (check.Record(organization, request.Evidence, request.VerifiedOn, CityClock.Today(clock), clock.GetUtcNow()) is { } refusal)
        {
            return refusal.ToProblem();
        }
        if (isNew)
        {
            db.SixHaves.Add(check);
        }
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            return Refusal.Conflict("The item was recorded at the same time.", "Reload and record it again.").ToProblem();
        }
        return TypedResults.Ok(await SixHavesOfAsync(db, id, ct));
    }

    internal static async Task<Results<Ok<SixHavesResponse>, NotFound>> GetSixHaves(Guid id, OrganizationsDb db, CancellationToken ct)
    {
        if (!await db.Organizations.AnyAsync(o => o.Id == id, ct))
        {
            return TypedResults.NotFound();
        }
        return TypedResults.Ok(await SixHavesOfAsync(db, id, ct));
    }

    internal static async Task<Results<Ok<Page<NonCompliantResponse>>, ValidationProblem>> NonCompliant(
        OrganizationsDb db, [AsParameters] PageQuery paging, CancellationToken ct)
    {
        var itemCount = Enum.GetValues<SixHavesItem>().Length;
        var query = db.Organizations.AsNoTracking()
            .Where(o => o.Status == FoundingStatus.Approved
                        && db.SixHaves.Count(c => c.OrganizationId == o.Id && c.VerifiedOn != null) < itemCount);
        var page = await query.OrderBy(o => o.Name).ThenBy(o => o.Id).ToPageAsync(paging, ct);
        var ids = page.Items.Select(o => o.Id).ToList();
        var checks = (await db.SixHaves.AsNoTracking().Where(c => ids.Contains(c.OrganizationId)).ToListAsync(ct)).ToLookup(c => c.OrganizationId);
        return TypedResults.Ok(page.Map(o => new NonCompliantResponse(o.Id, o.Name, o.Kind, SixHavesCheck.Missing(checks[o.Id]))));
    }

    internal static async Task<Results<Created<DeliveriesResponse>, NotFound, ValidationProblem, ProblemHttpResult>> RecordDelivery(
        Guid id, RecordDeliveryRequest request, OrganizationsDb db, TimeProvider clock, CancellationToken ct)
    {
        var organization = await db.Organizations.AsNoTracking().FirstOrDefaultAsync(o => o.Id == id, ct);
        if (organization is null)
        {
            return TypedResults.NotFound();
        }
        if (Delivery.Record(organization, request.Item, request.DeliveredOn, request.Note, CityClock.Today(clock), clock.GetUtcNow(), out var delivery) is { } refusal)
        {
            return refusal.ToProblem();
        }
        db.Deliveries.Add(delivery!);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            return Refusal.Conflict("This item was already delivered.", $"{KebabEnum.Name(delivery!.Item)} was already delivered to {organization.Name}.").ToProblem();
        }
        return TypedResults.Created($"/organizations/{id}/deliveries", await DeliveriesOfAsync(db, id, ct));
    }

    internal static async Task<Results<Ok<DeliveriesResponse>, NotFound>> GetDeliveries(Guid id, OrganizationsDb db, CancellationToken ct)
    {
        if (!await db.Organizations.AnyAsync(o => o.Id == id, ct))
        {
            return TypedResults.NotFound();
        }
        return TypedResults.Ok(await DeliveriesOfAsync(db, id, ct));
    }

    internal static async Task<Results<Ok<Page<OutstandingDeliveriesResponse>>, ValidationProblem>> OutstandingDeliveries(
        OrganizationsDb db, [AsParameters] PageQuery paging, CancellationToken ct)
    {
        var itemCount = Enum.GetValues<DeliveryItem>().Length;
        var query = db.Organizations.AsNoTracking()
            .Where(o => o.Status == FoundingStatus.Approved && db.Deliveries.Count(d => d.OrganizationId == o.Id) < itemCount);
        var page = await query.OrderBy(o => o.ApprovedOn).ThenBy(o => o.Id).ToPageAsync(paging, ct);
        var ids = page.Items.Select(o => o.Id).ToList();
        var delivered = (await db.Deliveries.AsNoTracking().Where(d => ids.Contains(d.OrganizationId)).ToListAsync(ct)).ToLookup(d => d.OrganizationId);
        return TypedResults.Ok(page.Map(o => new OutstandingDeliveriesResponse(o.Id, o.Name, o.ApprovedOn, Delivery.Outstanding(delivered[o.Id]))));
    }

    private static async Task<SixHavesResponse> SixHavesOfAsync(OrganizationsDb db, Guid id, CancellationToken ct)
    {
        var checks = await db.SixHaves.AsNoTracking().Where(c => c.OrganizationId == id).ToListAsync(ct);
        var byItem = checks.ToDictionary(c => c.Item);
        var missing = SixHavesCheck.Missing(checks);
        return new SixHavesResponse(id, missing.Count == 0,
            [.. Enum.GetValues<SixHavesItem>().Select(i => byItem.TryGetValue(i, out var c) ? new SixHavesItemResponse(i, c.Evidence, c.VerifiedOn) : new SixHavesItemResponse(i, null, null))],
            missing);
    }

    private static async Task<DeliveriesResponse> DeliveriesOfAsync(OrganizationsDb db, Guid id, CancellationToken ct)
    {
        var delivered = await db.Deliveries.AsNoTracking().Where(d => d.OrganizationId == id).ToListAsync(ct);
        return new DeliveriesResponse(id,
            [.. delivered.OrderBy(d => d.DeliveredOn).ThenBy(d => d.Item).Select(d => new DeliveryResponse(d.Item, d.DeliveredOn, d.Note))],
            Delivery.Outstanding(delivered));
    }
}

using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Platform.Partners.Data;
using Platform.Partners.Domain;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.Security;

namespace Platform.Partners.Apis;

public sealed record DeliveryResponse(
    Guid Id, string WebhookId, Guid SubscriptionId, Guid AgencyId, Guid EventId, string EventType, DeliveryStatus Status,
    int Attempts, DateTimeOffset? NextAttemptAt, int? LastStatusCode, int? LastLatencyMs, string? LastError,
    DateTimeOffset OccurredAt, DateTimeOffset CreatedAt, DateTimeOffset? DeliveredAt, int Replays)
{
    public static DeliveryResponse From(Delivery d) => new(d.Id, d.WebhookId, d.SubscriptionId, d.AgencyId, d.EventId, d.EventType, d.Status,
        d.Attempts, d.Status == DeliveryStatus.Pending ? d.NextAttemptAt : null, d.LastStatusCode, d.LastLatencyMs, d.LastError,
        d.OccurredAt, d.CreatedAt, d.DeliveredAt, d.Replays);
}

public sealed record AttemptResponse(int Number, DateTimeOffset At, int? StatusCode, int LatencyMs, string? Error);

public sealed record DeliveryDetail(DeliveryResponse Delivery, IReadOnlyList<AttemptResponse> Attempts, string Body);

public sealed record ReplayRangeRequest(DateTimeOffset? From, DateTimeOffset? To, Guid? SubscriptionId);

public sealed record ReplayRangeResponse(int Replayed);

/// <summary>Query of the delivery log.</summary>
public sealed record DeliveryQuery(Guid? SubscriptionId, string? Status, DateTimeOffset? From, DateTimeOffset? To, Guid? AgencyId);

public static class DeliveriesApi
{
    /// <summary>At most this many deliveries replayed by one range request (ask again with a later start for more).</summary>
    public const int MaxReplayRange = 10_000;

    public static RouteGroupBuilder MapDeliveriesApi(this IEndpointRouteBuilder app)
    {
        // Agencies see their own deliveries; operators see everyone's (and can filter by agency).
        var group = app.MapGroup("/deliveries").WithTags("Deliveries").RequireRoles(PlatformRoles.PartnerAgency, PlatformRoles.Operator);
        group.MapGet("/", List)
            .WithName("ListDeliveries")
            .WithSummary("The delivery log")
            .WithDescription("Newest first: status, attempts, last response code and latency. Filter by subscription, status and creation time.");
        group.MapGet("/{id:guid}", Get).WithName("GetDelivery").WithSummary("One delivery with every attempt and the signed body");
        group.MapPost("/{id:guid}/replay", Replay)
            .WithName("ReplayDelivery")
            .WithSummary("Send one delivery again now")
            .WithDescription("With the same webhook-id, so a receiver that already has it can tell.");
        group.MapPost("/replay", ReplayRange)
            .WithName("ReplayDeliveries")
            .WithSummary("Send again every delivery created in a time range")
            .WithDescription($"Optionally for one subscription; at most {MaxReplayRange} per request.");
        return group;
    }

    private static async Task<Results<Ok<Page<DeliveryResponse>>, ValidationProblem, NotFound>> List(
        [AsParameters] DeliveryQuery query, [AsParameters] PageQuery paging, ClaimsPrincipal user, PartnersDb db, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var status = KebabEnum.Filter<DeliveryStatus>(query.Status, "status", errors);
        if (query.From > query.To)
        {
            errors["from"] = ["Must not be after 'to'."];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        if (await VisibleAsync(user, db, ct) is not { } visible)
        {
            return TypedResults.NotFound();
        }
        if (query.AgencyId is { } agencyId)
        {
            visible = visible.Where(d => d.AgencyId == agencyId);
        }
        if (query.SubscriptionId is { } subscriptionId)
        {
            visible = visible.Where(d => d.SubscriptionId == subscriptionId);
        }
        if (status is { } wanted)
        {
            visible = visible.Where(d => d.Status == wanted);
        }
        if (query.From is { } from)
        {
            visible = visible.Where(d => d.CreatedAt >= from);
        }
        if (query.To is { } to)
        {
            visible = visible.Where(d => d.CreatedAt < to);
        }
        var ordered = visible.OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id);
        return TypedResults.Ok((await ordered.ToPageAsync(paging, ct)).Map(DeliveryResponse.From));
    }

    private static async Task<Results<Ok<DeliveryDetail>, NotFound>> Get(Guid id, ClaimsPrincipal user, PartnersDb db, CancellationToken ct)
    {
        if (await VisibleAsync(user, db, ct) is not { } visible || await visible.SingleOrDefaultAsync(d => d.Id == id, ct) is not { } delivery)
        {
            return TypedResults.NotFound();
        }
        var attempts = await db.DeliveryAttempts.AsNoTracking().Where(a => a.DeliveryId == id).OrderBy(a => a.Number)
            .Select(a => new AttemptResponse(a.Number, a.At, a.StatusCode, a.LatencyMs, a.Error)).ToListAsync(ct);
        return TypedResults.Ok(new DeliveryDetail(DeliveryResponse.From(delivery), attempts, delivery.Body));
    }

    private static async Task<Results<Ok<DeliveryResponse>, NotFound>> Replay(Guid id, ClaimsPrincipal user, PartnersDb db, TimeProvider clock, CancellationToken ct)
    {
        if (await VisibleAsync(user, db, ct, tracked: true) is not { } visible || await visible.SingleOrDefaultAsync(d => d.Id == id, ct) is not { } delivery)
        {
            return TypedResults.NotFound();
        }
        delivery.Replay(clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(DeliveryResponse.From(delivery));
    }

    private static async Task<Results<Ok<ReplayRangeResponse>, ValidationProblem, NotFound>> ReplayRange(
        ReplayRangeRequest request, ClaimsPrincipal user, PartnersDb db, TimeProvider clock, CancellationToken ct)
    {
        if (request.From is not { } from || request.To is not { } to || from >= to)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["from"] = ["Give 'from' and 'to', with 'from' before 'to'."] });
        }
        if (await VisibleAsync(user, db, ct, tracked: true) is not { } visible)
        {
            return TypedResults.NotFound();
        }
        var range = visible.Where(d => d.CreatedAt >= from && d.CreatedAt < to && d.Status != DeliveryStatus.Pending);
        if (request.SubscriptionId is { } subscriptionId)
        {
            range = range.Where(d => d.SubscriptionId == subscriptionId);
        }
        var deliveries = await range.OrderBy(d => d.CreatedAt).Take(MaxReplayRange).ToListAsync(ct);
        var now = clock.GetUtcNow();
        foreach (var delivery in deliveries)
        {
            delivery.Replay(now);
        }
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new ReplayRangeResponse(deliveries.Count));
    }

    /// <summary>The deliveries the caller may see: an operator all, an agency its own, anyone else none.</summary>
    private static async Task<IQueryable<Delivery>?> VisibleAsync(ClaimsPrincipal user, PartnersDb db, CancellationToken ct, bool tracked = false)
    {
        var all = tracked ? db.Deliveries : db.Deliveries.AsNoTracking();
        if (user.IsInRole(PlatformRoles.Operator))
        {
            return all;
        }
        return await db.CurrentAgencyAsync(user, ct) is { } agency ? all.Where(d => d.AgencyId == agency.Id) : null;
    }
}

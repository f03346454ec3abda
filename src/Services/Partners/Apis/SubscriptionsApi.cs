using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Platform.Partners.Application;
using Platform.Partners.Data;
using Platform.Partners.Domain;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.Security;
using Platform.ServiceDefaults.Validation;

namespace Platform.Partners.Apis;

public sealed record CreateSubscriptionRequest(IReadOnlyList<string>? EventTypes, IReadOnlyList<string>? Districts, IReadOnlyList<string>? Categories, string? CallbackUrl);

public sealed record ChangeCallbackRequest(string? CallbackUrl);

public sealed record RotateSecretRequest(int? OverlapHours);

public sealed record SubscriptionResponse(
    Guid Id, IReadOnlyList<string> EventTypes, IReadOnlyList<string> Districts, IReadOnlyList<string> Categories, string CallbackUrl,
    SubscriptionStatus Status, string? DisabledReason, bool NeedsAttention, DateTimeOffset? LastDeadLetterAt,
    DateTimeOffset? PreviousSecretExpiresAt, DateTimeOffset CreatedAt)
{
    public static SubscriptionResponse From(Subscription s) => new(s.Id, s.EventTypes, s.Districts, s.Categories, s.CallbackUrl,
        s.Status, s.DisabledReason, s.NeedsAttention, s.LastDeadLetterAt, s.PreviousSecretExpiresAt, s.CreatedAt);
}

/// <summary>The subscription with its signing secret: returned once, at creation and at each rotation.</summary>
public sealed record SubscriptionWithSecret(SubscriptionResponse Subscription, string Secret);

public static class SubscriptionsApi
{
    public const int MaxEventTypes = 20;

    public static RouteGroupBuilder MapSubscriptionsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/subscriptions").WithTags("Subscriptions").RequireRoles(PlatformRoles.PartnerAgency);
        group.MapPost("/", Create)
            .AcceptsIdempotencyKey()
            .WithName("CreateSubscription")
            .WithSummary("Subscribe a callback to event types")
            .WithDescription("Event types from the catalogue, optional district and category filters, an https callback on the public internet. The signing secret is shown once.");
        group.MapGet("/", List).WithName("ListSubscriptions").WithSummary("The agency's subscriptions");
        group.MapGet("/{id:guid}", Get).WithName("GetSubscription").WithSummary("One of the agency's subscriptions");
        group.MapPut("/{id:guid}/callback", ChangeCallback).WithName("ChangeSubscriptionCallback").WithSummary("Point the subscription at another callback URL");
        group.MapPost("/{id:guid}/secret/rotate", RotateSecret)
            .WithName("RotateSubscriptionSecret")
            .WithSummary("Rotate the signing secret")
            .WithDescription("The new secret is shown once; the previous one keeps signing too (a second signature) for the overlap, 24 hours unless asked otherwise (at most 7 days).");
        group.MapPost("/{id:guid}/pause", Pause).WithName("PauseSubscription").WithSummary("Stop deliveries for now; events are kept and sent on resume");
        group.MapPost("/{id:guid}/resume", Resume).WithName("ResumeSubscription").WithSummary("Deliver again (also clears the dead-letter flag)");
        return group;
    }

    private static async Task<Results<Created<SubscriptionWithSecret>, ValidationProblem, NotFound>> Create(
        CreateSubscriptionRequest request, ClaimsPrincipal user, PartnersDb db, PersonalDataProtector protector,
        CallbackGuard guard, AllowedHostList allowed, IHostEnvironment environment, TimeProvider clock, CancellationToken ct)
    {
        if (await db.CurrentAgencyAsync(user, ct) is not { } agency)
        {
            return TypedResults.NotFound();
        }
        var errors = new FieldErrors();
        var types = ValidateEventTypes(errors, request.EventTypes);
        var districts = ValidateFilter(errors, "districts", request.Districts, types, t => t.FilterableByDistrict, "district");
        var categories = ValidateFilter(errors, "categories", request.Categories, types, t => t.CategoryMeaning is not null, "category");
        var callback = await ValidateCallbackAsync(errors, request.CallbackUrl, guard, allowed, environment, ct);
        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }
        var secret = WebhookSignature.NewSecret();
        var subscription = Subscription.Create(agency.Id, types.Select(t => t.Type), districts, categories, callback!, protector.Protect(secret), clock.GetUtcNow());
        db.Subscriptions.Add(subscription);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/subscriptions/{subscription.Id}", new SubscriptionWithSecret(SubscriptionResponse.From(subscription), secret));
    }

    private static async Task<Results<Ok<Page<SubscriptionResponse>>, ValidationProblem, NotFound>> List(
        ClaimsPrincipal user, PartnersDb db, [AsParameters] PageQuery paging, CancellationToken ct)
    {
        if (await db.CurrentAgencyAsync(user, ct) is not { } agency)
        {
            return TypedResults.NotFound();
        }
        var query = db.Subscriptions.AsNoTracking().Where(s => s.AgencyId == agency.Id).OrderBy(s => s.CreatedAt).ThenBy(s => s.Id);
        return TypedResults.Ok((await query.ToPageAsync(paging, ct)).Map(SubscriptionResponse.From));
    }

    private static async Task<Results<Ok<SubscriptionResponse>, NotFound>> Get(Guid id, ClaimsPrincipal user, PartnersDb db, CancellationToken ct) =>
        await OwnAsync(id, user, db, ct) is { } s ? TypedResults.Ok(SubscriptionResponse.From(s)) : TypedResults.NotFound();

    private static async Task<Results<Ok<SubscriptionResponse>, ValidationProblem, NotFound>> ChangeCallback(
        Guid id, ChangeCallbackRequest request, ClaimsPrincipal user, PartnersDb db, CallbackGuard guard, AllowedHostList allowed,
        IHostEnvironment environment, CancellationToken ct)
    {
        if (await OwnAsync(id, user, db, ct) is not { } subscription)
        {
            return TypedResults.NotFound();
        }
        var errors = new FieldErrors();
        var callback = await ValidateCallbackAsync(errors, request.CallbackUrl, guard, allowed, environment, ct);
        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }
        subscription.ChangeCallback(callback!);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(SubscriptionResponse.From(subscription));
    }

    private static async Task<Results<Ok<SubscriptionWithSecret>, ValidationProblem, NotFound>> RotateSecret(
        Guid id, RotateSecretRequest? request, ClaimsPrincipal user, PartnersDb db, PersonalDataProtector protector, TimeProvider clock, CancellationToken ct)
    {
        var overlap = request?.OverlapHours is { } hours ? TimeSpan.FromHours(hours) : Subscription.DefaultRotationOverlap;
        if (overlap < TimeSpan.Zero || overlap > Subscription.MaxRotationOverlap)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["overlapHours"] = ["Must be between 0 and 168 hours."] });
        }
        if (await OwnAsync(id, user, db, ct) is not { } subscription)
        {
            return TypedResults.NotFound();
        }
        var secret = WebhookSignature.NewSecret();
        subscription.RotateSecret(protector.Protect(secret), overlap, clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new SubscriptionWithSecret(SubscriptionResponse.From(subscription), secret));
    }

    private static async Task<Results<Ok<SubscriptionResponse>, NotFound>> Pause(Guid id, ClaimsPrincipal user, PartnersDb db, CancellationToken ct)
    {
        if (await OwnAsync(id, user, db, ct) is not { } subscription)
        {
            return TypedResults.NotFound();
        }
        subscription.Pause();
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(SubscriptionResponse.From(subscription));
    }

    private static async Task<Results<Ok<SubscriptionResponse>, NotFound>> Resume(Guid id, ClaimsPrincipal user, PartnersDb db, CancellationToken ct)
    {
        if (await OwnAsync(id, user, db, ct) is not { } subscription)
        {
            return TypedResults.NotFound();
        }
        subscription.Resume();
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(SubscriptionResponse.From(subscription));
    }

    /// <summary>The subscription if it belongs to the caller's agency; another agency's is simply not found.</summary>
    private static async Task<Subscription?> OwnAsync(Guid id, ClaimsPrincipal user, PartnersDb db, CancellationToken ct) =>
        await db.CurrentAgencyAsync(user, ct) is { } agency
            ? await db.Subscriptions.SingleOrDefaultAsync(s => s.Id == id && s.AgencyId == agency.Id, ct)
            : null;

    private static List<PublicEventType> ValidateEventTypes(FieldErrors errors, IReadOnlyList<string>? requested)
    {
        if (requested is null || requested.Count == 0)
        {
            errors.Add("eventTypes", "Name at least one event type from the catalogue (GET /catalogue).");
            return [];
        }
        if (requested.Count > MaxEventTypes)
        {
            errors.Add("eventTypes", $"At most {MaxEventTypes} event types per subscription.");
            return [];
        }
        var types = new List<PublicEventType>();
        foreach (var name in requested.Distinct(StringComparer.Ordinal))
        {
            if (PublicEventCatalogue.Find(name ?? "") is { } type)
            {
                types.Add(type);
            }
            else
            {
                errors.Add("eventTypes", $"'{name}' is not in the public event catalogue.");
            }
        }
        return types;
    }

    private static List<string> ValidateFilter(FieldErrors errors, string field, IReadOnlyList<string>? values,
        List<PublicEventType> types, Func<PublicEventType, bool> applies, string what)
    {
        if (values is null || values.Count == 0)
        {
            return [];
        }
        if (values.Count > Subscription.MaxFilterValues)
        {
            errors.Add(field, $"At most {Subscription.MaxFilterValues} values.");
        }
        if (values.Any(v => string.IsNullOrWhiteSpace(v) || v.Length > Subscription.FilterValueMaxLength))
        {
            errors.Add(field, $"Each value must be 1 to {Subscription.FilterValueMaxLength} characters.");
        }
        if (types.Count > 0 && !types.Any(applies))
        {
            errors.Add(field, $"None of the chosen event types can be filtered by {what}.");
        }
        return [.. values.Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v.Trim())];
    }

    private static async Task<Uri?> ValidateCallbackAsync(FieldErrors errors, string? url, CallbackGuard guard,
        AllowedHostList allowed, IHostEnvironment environment, CancellationToken ct)
    {
        var host = Uri.TryCreate(url, UriKind.Absolute, out var loose) ? loose.IdnHost : "";
        // Plain http only for local runs: in Development, or to a host an operator allow-listed.
        var httpAllowed = environment.IsDevelopment() || (host.Length > 0 && await allowed.AllowsAsync(host, ct));
        if (CallbackUrl.FormError(url ?? "", _ => httpAllowed, out var callback) is { } formError)
        {
            errors.Add("callbackUrl", formError);
            return null;
        }
        if (await guard.RefusalAsync(callback!, ct) is { } refusal)
        {
            errors.Add("callbackUrl", refusal);
            return null;
        }
        return callback;
    }
}

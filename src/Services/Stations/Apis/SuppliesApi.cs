using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Platform.ServiceDefaults.Data;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.Messaging;
using Platform.ServiceDefaults.Security;
using Platform.ServiceDefaults.Validation;
using Platform.Stations.Data;
using Platform.Stations.Domain;

namespace Platform.Stations.Apis;

public sealed record SupplyResponse(SupplyItem Item, int Quantity, int Threshold, bool IsLow, DateTimeOffset UpdatedAt)
{
    public static SupplyResponse From(StationSupply s) => new(s.Item, s.Quantity, s.Threshold, s.IsLow, s.UpdatedAt);
}

public sealed record SetThresholdRequest(int? Threshold);

public sealed record QuantityRequest(int? Quantity);

public static class SuppliesApi
{

    public static RouteGroupBuilder MapSuppliesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/stations/{id:guid}/supplies").WithTags("Supplies");
        group.MapGet("/", List)
            .RequireAuthorization()
            .WithName("ListSupplies")
            .WithSummary("A station's stock")
            .WithDescription("Every tracked item with its quantity, threshold and whether it is running low.");
        group.MapPut("/{item}", SetThreshold)
            .RequireRoles(StationAccess.ManagerRoles)
            .WithName("SetSupplyThreshold")
            .WithSummary("Track an item and set its low-stock threshold")
            .WithDescription("Falling to or below the threshold publishes SuppliesRunningLow once per crossing (not on every change below it).");
        group.MapPost("/{item}/restock", Restock)
            .RequireRoles(StationAccess.ManagerRoles)
            .WithName("RestockSupply")
            .WithSummary("Add stock")
            .WithDescription("Adds `quantity` (1 or more). Lifting the stock above the threshold ends the low-stock state, so the next fall publishes again.");
        group.MapPost("/{item}/use", Use)
            .RequireRoles(StationAccess.ManagerRoles)
            .WithName("UseSupply")
            .WithSummary("Record stock handed out")
            .WithDescription("Takes `quantity` (1 or more) out; more than is left is a 409.");
        return group;
    }

    internal static async Task<Results<Ok<IReadOnlyList<SupplyResponse>>, NotFound>> List(Guid id, StationsDb db, CancellationToken ct)
    {
        if (!await db.Stations.AnyAsync(s => s.Id == id, ct))
        {
            return TypedResults.NotFound();
        }
        // At most one row per item kind: bounded.
        var items = await db.Supplies.AsNoTracking().Where(s => s.StationId == id).OrderBy(s => s.Item).ToListAsync(ct);
        return TypedResults.Ok<IReadOnlyList<SupplyResponse>>([.. items.Select(SupplyResponse.From)]);
    }

    internal static Task<Results<Ok<SupplyResponse>, ValidationProblem, NotFound, ForbidHttpResult, ProblemHttpResult>> SetThreshold(
        Guid id, string item, SetThresholdRequest request, ClaimsPrincipal user, StationsDb db, TimeProvider clock, CancellationToken ct) =>
        ChangeAsync(id, item, user, db, clock, "threshold", request.Threshold, 0, StationSupply.MaxQuantity, createIfMissing: true,
            (s, n, now) => (true, s.SetThreshold(n, now)), ct);

    internal static Task<Results<Ok<SupplyResponse>, ValidationProblem, NotFound, ForbidHttpResult, ProblemHttpResult>> Restock(
        Guid id, string item, QuantityRequest request, ClaimsPrincipal user, StationsDb db, TimeProvider clock, CancellationToken ct) =>
        ChangeAsync(id, item, user, db, clock, "quantity", request.Quantity, 1, StationSupply.MaxQuantity, createIfMissing: true,
            (s, n, now) => s.CanRestock(n) ? (true, s.Restock(n, now)) : (false, false), ct);

    internal static Task<Results<Ok<SupplyResponse>, ValidationProblem, NotFound, ForbidHttpResult, ProblemHttpResult>> Use(
        Guid id, string item, QuantityRequest request, ClaimsPrincipal user, StationsDb db, TimeProvider clock, CancellationToken ct) =>
        ChangeAsync(id, item, user, db, clock, "quantity", request.Quantity, 1, StationSupply.MaxQuantity, createIfMissing: false,
            (s, n, now) => s.CanUse(n) ? (true, s.Use(n, now)) : (false, false), ct);

    /// <summary>
    /// Loads the item under a lock on it, applies the change and saves it with the low-stock event if it crossed: two
    /// keepers handing out the last masks cannot both succeed or both publish.
    /// </summary>
    private static async Task<Results<Ok<SupplyResponse>, ValidationProblem, NotFound, ForbidHttpResult, ProblemHttpResult>> ChangeAsync(
        Guid id, string itemText, ClaimsPrincipal user, StationsDb db, TimeProvider clock, string field, int? value, int min, int max, bool createIfMissing,
        Func<StationSupply, int, DateTimeOffset, (bool Done, bool Crossed)> change, CancellationToken ct)
    {
        if (!user.CanManage(id))
        {
            return TypedResults.Forbid();
        }
        var errors = new Dictionary<string, string[]>();
        if (!KebabEnum.TryParse<SupplyItem>(itemText, out var item))
        {
            errors["item"] = [$"item must be one of {KebabEnum.Names<SupplyItem>()}."];
        }
        if (value is null || value < min || value > max)
        {
            errors[field] = [$"{field} is required, from {min} to {max}."];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var station = await db.Stations.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, ct);
        if (station is null)
        {
            return TypedResults.NotFound();
        }
        if (!station.IsActive)
        {
            return StationsApi.ClosedConflict(station);
        }
        await using var transaction = await db.Database.BeginOrJoinTransactionAsync(ct);
        // Changes of one item take turns (until commit), so no two read the same stock: eight keepers handing out the
        // last umbrellas at once used to fail each other on the row version, and one could lose every retry.
        var lockKey = $"station-supply:{id}:{item}";
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended({lockKey}, 0))", ct);
        var now = clock.GetUtcNow();
        var supply = await db.Supplies.FirstOrDefaultAsync(s => s.StationId == id && s.Item == item, ct);
        if (supply is null)
        {
            if (!createIfMissing)
            {
                return Refusal.Conflict("None in stock.", $"Station {id} keeps no {KebabEnum.Name(item)}.").ToProblem();
            }
            supply = StationSupply.Track(id, item, now);
            db.Supplies.Add(supply);
        }
        var (done, crossed) = change(supply, value!.Value, now);
        if (!done)
        {
            return Refusal.Conflict("Not enough in stock.", $"Only {supply.Quantity} {KebabEnum.Name(item)} left; the stock holds at most {StationSupply.MaxQuantity}.").ToProblem();
        }
        if (crossed)
        {
            db.Publish(supply.ToRunningLow(station.District, now), clock);
        }
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return TypedResults.Ok(SupplyResponse.From(supply));
    }
}

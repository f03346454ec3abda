using Platform.Contracts;
using Platform.ServiceDefaults.Http;

namespace Platform.Stations.Domain;

public enum SupplyItem
{
    Masks,
    FirstAidKit,
    Water,
    Medicine,
    Umbrellas,
    HeatstrokeRelief,
    HandWarmers,
}

/// <summary>
/// Stock of one item at one station. Running low is a state: it is entered once when the quantity falls to or below the
/// threshold (then <see cref="SuppliesRunningLow"/> is published once) and left when a restock lifts it above.
/// </summary>
public sealed class StationSupply
{
    public const int MaxQuantity = 1_000_000;

    public Guid StationId { get; private set; }
    public SupplyItem Item { get; private set; }
    public int Quantity { get; private set; }
    public int Threshold { get; private set; }
    public bool IsLow { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }
    /// <summary>Concurrency token (PostgreSQL xmin): two keepers using the last masks at once must not both succeed.</summary>
    public uint Version { get; private set; }

    private StationSupply() { }

    public static StationSupply Track(Guid stationId, SupplyItem item, DateTimeOffset now) =>
        new() { StationId = stationId, Item = item, UpdatedAt = now };

    /// <summary>Sets the threshold; true when this makes the stock cross into "low".</summary>
    public bool SetThreshold(int threshold, DateTimeOffset now) => Change(Quantity, threshold, now);

    public bool Restock(int quantity, DateTimeOffset now) => Change(Quantity + quantity, Threshold, now);

    /// <summary>Takes items out; false (nothing changes) when fewer are left than asked for, see <see cref="CanUse"/>.</summary>
    public bool Use(int quantity, DateTimeOffset now) => Change(Quantity - quantity, Threshold, now);

    public bool CanUse(int quantity) => quantity <= Quantity;

    public bool CanRestock(int quantity) => Quantity + (long)quantity <= MaxQuantity;

    private bool Change(int quantity, int threshold, DateTimeOffset now)
    {
        Quantity = quantity;
        Threshold = threshold;
        UpdatedAt = now;
        var low = Quantity <= Threshold;
        var crossed = low && !IsLow;
        IsLow = low;
        return crossed;
    }

    public SuppliesRunningLow ToRunningLow(string district, DateTimeOffset now) =>
        new(StationId, district, KebabEnum.Name(Item), Quantity, Threshold, now);
}

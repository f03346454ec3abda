using Platform.Contracts;

namespace Platform.Partners.Tests.Http;

/// <summary>Integration events as the other services publish them.</summary>
internal static class Events
{
    public static HazardReported Hazard(string district, string category = "manhole-cover") =>
        new(Guid.NewGuid(), category, 39.52, 116.70, district, "urban-management", "submitted", DateTimeOffset.UtcNow);

    public static StationOpened Station(Guid id, string district) =>
        new(id, "银河北路暖蜂驿站", Guid.NewGuid(), district, 39.52, 116.70, ["water", "charging"], DateTimeOffset.UtcNow);

    public static SuppliesRunningLow LowSupplies(string district, string item) =>
        new(Guid.NewGuid(), district, item, 1, 5, DateTimeOffset.UtcNow);
}

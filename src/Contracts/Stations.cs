namespace Platform.Contracts;

/// <summary>A red station (暖蜂驿站) opened on the map. Version 1.</summary>
/// <param name="StationId">Opaque id of the station.</param>
/// <param name="Name">Public name of the station.</param>
/// <param name="CommunityId">The community the station is in.</param>
/// <param name="District">District of the station.</param>
/// <param name="Latitude">WGS-84 latitude in degrees.</param>
/// <param name="Longitude">WGS-84 longitude in degrees.</param>
/// <param name="Amenities">Amenities in kebab case, e.g. <c>water</c>, <c>charging</c>, <c>first-aid-kit</c>.</param>
/// <param name="OccurredAt">When it happened (UTC).</param>
public sealed record StationOpened(
    Guid StationId,
    string Name,
    Guid CommunityId,
    string District,
    double Latitude,
    double Longitude,
    IReadOnlyList<string> Amenities,
    DateTimeOffset OccurredAt);

/// <summary>A station's public details changed (name, location, amenities). Version 1.</summary>
/// <param name="StationId">The station.</param>
/// <param name="Name">Public name after the change.</param>
/// <param name="CommunityId">The community the station is in.</param>
/// <param name="District">District of the station.</param>
/// <param name="Latitude">WGS-84 latitude in degrees.</param>
/// <param name="Longitude">WGS-84 longitude in degrees.</param>
/// <param name="Amenities">Amenities after the change.</param>
/// <param name="OccurredAt">When it happened (UTC).</param>
public sealed record StationUpdated(
    Guid StationId,
    string Name,
    Guid CommunityId,
    string District,
    double Latitude,
    double Longitude,
    IReadOnlyList<string> Amenities,
    DateTimeOffset OccurredAt);

/// <summary>A station closed for good (not a temporary closure, which is part of its opening hours). Version 1.</summary>
/// <param name="StationId">The station.</param>
/// <param name="OccurredAt">When it closed (UTC).</param>
public sealed record StationClosed(
    Guid StationId,
    DateTimeOffset OccurredAt);

/// <summary>A station's stock of a supply fell to or below its threshold. Version 1.</summary>
/// <param name="StationId">The station.</param>
/// <param name="District">District of the station.</param>
/// <param name="Item">The supply in kebab case, e.g. <c>first-aid-kit</c>, <c>water</c>, <c>masks</c>.</param>
/// <param name="Quantity">Quantity left.</param>
/// <param name="Threshold">The threshold the keeper set for this item.</param>
/// <param name="OccurredAt">When the low stock was recorded (UTC).</param>
public sealed record SuppliesRunningLow(
    Guid StationId,
    string District,
    string Item,
    int Quantity,
    int Threshold,
    DateTimeOffset OccurredAt);

namespace Platform.Contracts;

/// <summary>
/// A village or community (村居/社区) was registered with the organizations service. Every service keeps a
/// local copy of communities from this event. Version 1.
/// </summary>
/// <param name="CommunityId">Opaque, stable id of the community.</param>
/// <param name="Name">Official name of the community, e.g. "银河北路社区".</param>
/// <param name="District">County-level district or county the community belongs to, e.g. "广阳区".</param>
/// <param name="Street">Township or street (乡镇/街道) the community belongs to.</param>
/// <param name="Latitude">WGS-84 latitude of the community office, in degrees (-90 to 90).</param>
/// <param name="Longitude">WGS-84 longitude of the community office, in degrees (-180 to 180).</param>
/// <param name="RegisteredAt">When the community was registered (UTC).</param>
public sealed record CommunityRegistered(
    Guid CommunityId,
    string Name,
    string District,
    string Street,
    double Latitude,
    double Longitude,
    DateTimeOffset RegisteredAt);

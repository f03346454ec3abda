namespace Platform.Contracts;

/// <summary>A community's details changed (name, street, location). Every service updates its copy. Version 1.</summary>
/// <param name="CommunityId">The community.</param>
/// <param name="Name">Official name after the change.</param>
/// <param name="District">District after the change.</param>
/// <param name="Street">Township or street after the change.</param>
/// <param name="Latitude">WGS-84 latitude in degrees.</param>
/// <param name="Longitude">WGS-84 longitude in degrees.</param>
/// <param name="UpdatedAt">When the change was made (UTC): later than the registration and every earlier change of the community, so a copy keeps the details with the latest time.</param>
public sealed record CommunityUpdated(
    Guid CommunityId,
    string Name,
    string District,
    string Street,
    double Latitude,
    double Longitude,
    DateTimeOffset UpdatedAt);

/// <summary>
/// A Party organization (industry committee, enterprise committee, general branch or branch) was approved and
/// established. Version 1.
/// </summary>
/// <param name="OrganizationId">Opaque id of the organization.</param>
/// <param name="Kind">One of <c>industry-committee</c>, <c>enterprise-committee</c>, <c>general-branch</c>, <c>branch</c>.</param>
/// <param name="ParentId">The organization it reports to, if any.</param>
/// <param name="EnterpriseIds">The enterprises (depots) it covers.</param>
/// <param name="CommunityId">The community (township/street committee) it belongs to, for fallback placement; if any.</param>
/// <param name="EstablishedOn">The approval date.</param>
public sealed record PartyOrganizationEstablished(
    Guid OrganizationId,
    string Kind,
    Guid? ParentId,
    IReadOnlyList<Guid> EnterpriseIds,
    Guid? CommunityId,
    DateOnly EstablishedOn);

/// <summary>A Party member who is a worker was placed in (or transferred to) an organization. Version 1.</summary>
/// <param name="MemberId">Opaque id of the membership record.</param>
/// <param name="WorkerId">The worker (opaque id; no personal data).</param>
/// <param name="OrganizationId">The organization the member now belongs to.</param>
/// <param name="Fallback">True when placed by fallback (属地兜底) in the community's organization because no organization covers the worker's enterprise.</param>
/// <param name="PlacedAt">When the placement took effect (UTC).</param>
public sealed record MemberPlaced(
    Guid MemberId,
    Guid WorkerId,
    Guid OrganizationId,
    bool Fallback,
    DateTimeOffset PlacedAt);

/// <summary>A supervision inspection of an enterprise's organization was completed. Version 1.</summary>
/// <param name="InspectionId">Opaque id of the inspection.</param>
/// <param name="EnterpriseId">The enterprise inspected.</param>
/// <param name="ProblemsFound">How many problems were found (0 when none).</param>
/// <param name="CompletedAt">When the inspection was completed (UTC).</param>
public sealed record InspectionCompleted(
    Guid InspectionId,
    Guid EnterpriseId,
    int ProblemsFound,
    DateTimeOffset CompletedAt);

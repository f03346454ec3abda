namespace Platform.Contracts;

/// <summary>A worker registered with the volunteers service. Carries no personal data. Version 1.</summary>
/// <param name="WorkerId">Opaque id of the worker (the subject of the worker's access token).</param>
/// <param name="Occupation">One of <c>courier</c>, <c>food-delivery-rider</c>, <c>ride-hail-driver</c>, <c>live-stream-seller</c>.</param>
/// <param name="EnterpriseId">The enterprise (depot) the worker works for.</param>
/// <param name="PartyMember">Whether the worker is a member of the Party.</param>
/// <param name="District">District of the worker's enterprise, when known.</param>
/// <param name="RegisteredAt">When the worker registered (UTC).</param>
public sealed record WorkerRegistered(
    Guid WorkerId,
    string Occupation,
    Guid EnterpriseId,
    bool PartyMember,
    string? District,
    DateTimeOffset RegisteredAt);

/// <summary>Community staff confirmed a worker's report-in (报到) to their community. Version 1.</summary>
/// <param name="WorkerId">The worker (opaque id).</param>
/// <param name="CommunityId">The community the worker now reports to.</param>
/// <param name="ConfirmedAt">When the report-in was confirmed (UTC).</param>
public sealed record WorkerReportedToCommunity(
    Guid WorkerId,
    Guid CommunityId,
    DateTimeOffset ConfirmedAt);

/// <summary>
/// A hazard (broken manhole cover, fallen tree, broken light, ...) was reported and routed to the department that
/// fixes it. Carries no reporter identity. Version 1.
/// </summary>
/// <param name="ReportId">Opaque id of the hazard report.</param>
/// <param name="Category">Hazard category in kebab case, e.g. <c>manhole-cover</c>.</param>
/// <param name="Latitude">WGS-84 latitude in degrees.</param>
/// <param name="Longitude">WGS-84 longitude in degrees.</param>
/// <param name="District">District where the hazard is.</param>
/// <param name="ResponsibleAgency">Code of the city department responsible, e.g. <c>urban-management</c>.</param>
/// <param name="Status">Status at the time of the event, e.g. <c>submitted</c>.</param>
/// <param name="ReportedAt">When it was reported (UTC).</param>
public sealed record HazardReported(
    Guid ReportId,
    string Category,
    double Latitude,
    double Longitude,
    string District,
    string ResponsibleAgency,
    string Status,
    DateTimeOffset ReportedAt);

/// <summary>A hazard report moved to a new status (acknowledged, in progress, resolved, closed, rejected...). Version 1.</summary>
/// <param name="ReportId">The hazard report.</param>
/// <param name="Category">Hazard category, as in <see cref="HazardReported"/>.</param>
/// <param name="District">District where the hazard is.</param>
/// <param name="ResponsibleAgency">Code of the responsible department (it may change when a report is re-routed).</param>
/// <param name="Status">The new status.</param>
/// <param name="ChangedAt">When the status changed (UTC).</param>
public sealed record HazardStatusChanged(
    Guid ReportId,
    string Category,
    string District,
    string ResponsibleAgency,
    string Status,
    DateTimeOffset ChangedAt);

namespace Platform.Contracts;

/// <summary>
/// A new-business enterprise (新业态企业) or one of its local depots was registered. Version 1.
/// </summary>
/// <param name="EnterpriseId">Opaque, stable id of the enterprise.</param>
/// <param name="Name">Registered name of the enterprise or depot.</param>
/// <param name="CreditCode">The 18-character Unified Social Credit Code (统一社会信用代码, GB 32100-2015), upper case.</param>
/// <param name="Industry">One of <c>express</c>, <c>food-delivery</c>, <c>ride-hail</c>, <c>live-stream-ecommerce</c>, <c>other</c>.</param>
/// <param name="District">District where the enterprise operates, when known.</param>
/// <param name="RegisteredAt">When the enterprise was registered (UTC).</param>
public sealed record EnterpriseRegistered(
    Guid EnterpriseId,
    string Name,
    string CreditCode,
    string Industry,
    string? District,
    DateTimeOffset RegisteredAt);

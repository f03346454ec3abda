namespace Platform.Contracts;

/// <summary>
/// A legal or counselling case was opened. Carries no content and no identity: partners receive only counts and
/// durations. Version 1.
/// </summary>
/// <param name="CaseId">Opaque id of the case.</param>
/// <param name="Category">Category in kebab case, e.g. <c>unpaid-wages</c>, <c>psychological-support</c>.</param>
/// <param name="Channel">One of <c>app</c>, <c>hotline</c>, <c>station</c>, <c>chat-group</c>.</param>
/// <param name="District">District the case is handled in, when known.</param>
/// <param name="Urgency">One of <c>normal</c>, <c>high</c>, <c>crisis</c>.</param>
/// <param name="OpenedAt">When it was submitted (UTC).</param>
public sealed record RightsCaseOpened(
    Guid CaseId,
    string Category,
    string Channel,
    string? District,
    string Urgency,
    DateTimeOffset OpenedAt);

/// <summary>A legal or counselling case was resolved. No content, no identity. Version 1.</summary>
/// <param name="CaseId">The case.</param>
/// <param name="Category">Category in kebab case.</param>
/// <param name="Channel">Channel it came in through.</param>
/// <param name="District">District, when known.</param>
/// <param name="Escalated">Whether it was escalated to a partner (labour inspection, trade-union legal aid).</param>
/// <param name="TimeToFirstResponse">From submission to the first response by a professional.</param>
/// <param name="TimeToResolution">From submission to resolution.</param>
/// <param name="ResolvedAt">When it was resolved (UTC).</param>
public sealed record RightsCaseResolved(
    Guid CaseId,
    string Category,
    string Channel,
    string? District,
    bool Escalated,
    TimeSpan? TimeToFirstResponse,
    TimeSpan TimeToResolution,
    DateTimeOffset ResolvedAt);
